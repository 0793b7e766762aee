namespace TensorFusion.Host.Simulate;

/// <summary>
/// Totals of a run. <see cref="LowerBoundGpus"/>: per GPU model, the larger of placed TFLOPs and placed VRAM over one
/// GPU's capacity, rounded up, summed; <see cref="GpusUsed"/> over it shows how tightly the strategy packed.
/// </summary>
public sealed record SimulationSummary(
    int Requests,
    int Placed,
    int Unschedulable,
    int Preemptions,
    int GpusUsed,
    int LowerBoundGpus,
    double ElapsedMs,
    double DecisionsPerSecond);
