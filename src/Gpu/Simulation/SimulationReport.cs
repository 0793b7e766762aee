namespace TensorFusion.Gpu.Simulation;

/// <summary>The result of a what-if run, serialised as the one JSON object <c>simulate --output json</c> prints.</summary>
public sealed record SimulationReport(
    IReadOnlyList<PlacementRow> Placements,
    IReadOnlyList<UnschedulableRow> Unschedulable,
    IReadOnlyList<GpuRow> Gpus,
    SimulationSummary Summary);
