using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Requests;

/// <summary>
/// One worker asking for GPUs. <see cref="Request"/> and <see cref="Limit"/> are per GPU; <see cref="GpuCount"/> GPUs
/// are taken on one node. A compute percent, when given, replaces the TFLOPs figure and is converted through the
/// chosen GPU's capacity.
/// </summary>
public sealed record AllocationRequest
{
    public required string Namespace { get; init; }

    public required string Workload { get; init; }

    public required string Worker { get; init; }

    public required string Pool { get; init; }

    public QosLevel Qos { get; init; } = QosLevel.Medium;

    public GpuResources Request { get; init; }

    public GpuResources Limit { get; init; }

    /// <summary>0-100 percent of one GPU's TFLOPs, mutually exclusive with the TFLOPs in <see cref="Request"/>.</summary>
    public double? ComputePercentRequest { get; init; }

    public double? ComputePercentLimit { get; init; }

    public int GpuCount { get; init; } = 1;

    public string? GpuModel { get; init; }

    public string? Vendor { get; init; }

    public IReadOnlyList<int>? GpuIndices { get; init; }

    public IReadOnlyList<NodeSelectorTerm>? NodeAffinity { get; init; }

    public IsolationMode Isolation { get; init; } = IsolationMode.Soft;

    /// <summary>MIG profile name for partitioned isolation; null lets the allocator pick the least wasteful profile.</summary>
    public string? PartitionTemplate { get; init; }

    /// <summary>The gang this worker belongs to; null for a worker placed on its own.</summary>
    public GangMembership? Gang { get; init; }

    /// <summary>How long after placement this worker may not be preempted.</summary>
    public TimeSpan EvictionProtection { get; init; }

    /// <summary>Stable identity: namespace/worker.</summary>
    public string WorkerId => $"{Namespace}/{Worker}";

    /// <summary>The per-GPU request on a GPU of the given capacity (compute percent converted, truncated to milli-TFLOPs).</summary>
    public GpuResources RequestOn(GpuResources capacity) => Convert(Request, ComputePercentRequest, capacity);

    public GpuResources LimitOn(GpuResources capacity)
    {
        var limit = Convert(Limit, ComputePercentLimit, capacity);
        var request = RequestOn(capacity);
        // A limit below the request (or unset) means "no burst": the limit is the request.
        return new GpuResources(Math.Max(limit.MilliTflops, request.MilliTflops), Math.Max(limit.VramBytes, request.VramBytes));
    }

    private static GpuResources Convert(GpuResources value, double? percent, GpuResources capacity) =>
        percent is { } p ? value with { MilliTflops = (long)(p * capacity.MilliTflops / 100.0) } : value;
}
