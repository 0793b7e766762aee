using TensorFusion.Estimators.Merging;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.MetricsSources;

using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Autoscaling;

/// <summary>A scriptable usage source, a recording resizer and status writer for the autoscaling loop.</summary>
internal sealed class FakeAutoscalePorts : IUsageSource, IAllocationPort, IWorkloadStatusWriter
{
    public Func<DateTimeOffset, DateTimeOffset, UsageReading> Usage { get; set; } = (_, _) => new UsageReading([], null);

    public List<(DateTimeOffset Start, DateTimeOffset End)> Reads { get; } = [];

    public List<(GpuResources Request, GpuResources Limit)> Resizes { get; } = [];

    public string? ResizeError { get; set; }

    public List<(AutoscaleDecision Decision, int? Applied)> Written { get; } = [];

    /// <summary>When set, every status write throws it.</summary>
    public Exception? WriteError { get; set; }

    public Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        Reads.Add((windowStart, windowEnd));
        return Task.FromResult(Usage(windowStart, windowEnd));
    }

    public IReadOnlyList<GpuHeadroom> HeadroomOf(string workloadNamespace, string workload) => [];

    public Task<ResizeOutcome> ResizeWorkloadAsync(string workloadNamespace, string workload, GpuResources request, GpuResources limit, CancellationToken cancellationToken)
    {
        Resizes.Add((request, limit));
        return Task.FromResult(ResizeError is null ? new ResizeOutcome(2, null) : new ResizeOutcome(0, ResizeError));
    }

    public Task WriteAsync(AutoscaleDecision decision, int? appliedRecommendedReplicas, CancellationToken cancellationToken)
    {
        if (WriteError is not null)
        {
            return Task.FromException(WriteError);
        }

        Written.Add((decision, appliedRecommendedReplicas));
        return Task.CompletedTask;
    }
}
