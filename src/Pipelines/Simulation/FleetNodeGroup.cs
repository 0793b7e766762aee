namespace TensorFusion.Pipelines.Simulation;

/// <summary>
/// One group in fleet.yaml: <c>count</c> nodes named <c>namePrefix-0000…</c> in <c>pool</c>, each with the same labels,
/// GPUs and host memory/disk (quantities such as <c>1Ti</c>, used for VRAM expansion of limits).
/// </summary>
public sealed class FleetNodeGroup
{
    public string? NamePrefix { get; set; }

    public int Count { get; set; } = 1;

    public string? Pool { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public FleetGpu? Gpu { get; set; }

    public string? HostMemory { get; set; }

    public string? HostDisk { get; set; }

    /// <summary>The node's static isolation mode (shared, soft, hard, partitioned); unset accepts any.</summary>
    public string? IsolationMode { get; set; }
}
