namespace TensorFusion.Gpu.Simulation;

/// <summary>
/// Totals of a run. <see cref="LowerBoundGpus"/> is a proven lower bound on the GPUs the placed shares need on the models
/// they landed on (<see cref="TensorFusion.Gpu.Scheduling.PackingBound.Compute"/>): the configuration-LP bound where it
/// beats the volume bound (<see cref="VolumeBoundGpus"/>), which <see cref="LowerBoundMethod"/> names;
/// <see cref="GpusUsed"/> over it shows how far the strategy can be from optimal.
/// </summary>
public sealed record SimulationSummary(
    int Requests,
    int Placed,
    int Unschedulable,
    int Preemptions,
    int GpusUsed,
    int LowerBoundGpus,
    string LowerBoundMethod,
    int VolumeBoundGpus,
    double ElapsedMs,
    double DecisionsPerSecond);
