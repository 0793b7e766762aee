using Prometheus;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>The allocation pipeline's operator metrics, named exactly as in docs/metrics.md, on a registry the host chooses.</summary>
public sealed class AllocationMetrics
{
    private readonly Histogram _batchSize;
    private readonly Histogram _latency;
    private readonly Counter _decisions;
    private readonly Gauge _unschedulable;
    private readonly Counter _batchFailures;
    private readonly Counter _preemptions;
    private readonly Counter _planConflicts;
    private readonly Gauge _poolCapacityTflops;
    private readonly Gauge _poolCapacityVram;
    private readonly Gauge _poolAllocatedTflops;
    private readonly Gauge _poolAllocatedVram;
    private readonly Gauge _poolReadyNodes;
    private readonly Gauge _nodeCapacityTflops;
    private readonly Gauge _nodeCapacityVram;
    private readonly Gauge _nodeAllocatedTflops;
    private readonly Gauge _nodeAllocatedVram;

    public AllocationMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _batchSize = factory.CreateHistogram("tensorfusion_allocation_batch_size", "Requests per allocator batch.",
            new HistogramConfiguration { LabelNames = ["pool"], Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        _latency = factory.CreateHistogram("tensorfusion_allocation_latency_seconds", "Pending worker seen to persisted decision.",
            new HistogramConfiguration { LabelNames = ["pool"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _decisions = factory.CreateCounter("tensorfusion_allocation_decisions_total", "Allocator decisions.", "pool", "result");
        _unschedulable = factory.CreateGauge("tensorfusion_allocation_unschedulable_workers", "Workers waiting with no fit.", "pool");
        _batchFailures = factory.CreateCounter("tensorfusion_allocation_batch_failures_total", "Allocator batches that failed past their decisions; their workers wait and are retried.");
        _preemptions = factory.CreateCounter("tensorfusion_allocation_preemptions_total", "Workers evicted by preemption.", "pool");
        _planConflicts = factory.CreateCounter("tensorfusion_plan_push_conflicts_total", "Plan pushes an agent refused (409) for holding a generation not below it.", "outcome");
        _poolCapacityTflops = factory.CreateGauge("tensorfusion_pool_capacity_tflops", "Physical TFLOPs of ready GPUs.", "pool");
        _poolCapacityVram = factory.CreateGauge("tensorfusion_pool_capacity_vram_bytes", "Physical VRAM of ready GPUs.", "pool");
        _poolAllocatedTflops = factory.CreateGauge("tensorfusion_pool_allocated_tflops", "TFLOPs requested by placed workers.", "pool");
        _poolAllocatedVram = factory.CreateGauge("tensorfusion_pool_allocated_vram_bytes", "VRAM requested by placed workers.", "pool");
        _poolReadyNodes = factory.CreateGauge("tensorfusion_pool_ready_nodes", "GPU nodes ready.", "pool");
        _nodeCapacityTflops = factory.CreateGauge("tensorfusion_node_capacity_tflops", "Node TFLOPs.", "node", "pool");
        _nodeCapacityVram = factory.CreateGauge("tensorfusion_node_capacity_vram_bytes", "Node VRAM.", "node", "pool");
        _nodeAllocatedTflops = factory.CreateGauge("tensorfusion_node_allocated_tflops", "Node TFLOPs requested.", "node", "pool");
        _nodeAllocatedVram = factory.CreateGauge("tensorfusion_node_allocated_vram_bytes", "Node VRAM requested.", "node", "pool");
    }

    /// <summary>Creates every per-pool series at zero, so dashboards and alerts see the pools before the first decision.</summary>
    public void Prepare(IEnumerable<string> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        foreach (var pool in pools)
        {
            _batchSize.WithLabels(pool);
            _latency.WithLabels(pool);
            foreach (var result in (string[])["placed", "preempted", "unschedulable"])
            {
                _decisions.WithLabels(pool, result);
            }

            _preemptions.WithLabels(pool);
            _unschedulable.WithLabels(pool);
        }
    }

    public void RecordBatch(string pool, int size) => _batchSize.WithLabels(pool).Observe(size);

    public void RecordDecision(string pool, DecisionKind kind, TimeSpan latency)
    {
        _decisions.WithLabels(pool, kind switch
        {
            DecisionKind.Place => "placed",
            DecisionKind.Preempt => "preempted",
            _ => "unschedulable",
        }).Inc();
        if (kind != DecisionKind.Unschedulable)
        {
            _latency.WithLabels(pool).Observe(latency.TotalSeconds);
        }
    }

    /// <summary>A batch failed as a whole (logged with its cause); the pipeline went on.</summary>
    public void CountBatchFailure() => _batchFailures.Inc();

    public void RecordPreemption(string pool) => _preemptions.WithLabels(pool).Inc();

    /// <summary>Counts a refused push by what followed: <c>repushed</c> above the agent's generation, or <c>fenced</c>.</summary>
    public void RecordPlanConflict(Agents.PlanConflict conflict)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        _planConflicts.WithLabels(conflict.Fenced ? "fenced" : "repushed").Inc();
    }

    public void SetUnschedulable(IReadOnlyDictionary<string, int> byPool, IEnumerable<string> knownPools)
    {
        foreach (var pool in knownPools.Concat(byPool.Keys).Distinct(StringComparer.Ordinal))
        {
            _unschedulable.WithLabels(pool).Set(byPool.GetValueOrDefault(pool));
        }
    }

    public void RecordCapacity(CapacityReport report)
    {
        foreach (var pool in report.Pools)
        {
            _poolCapacityTflops.WithLabels(pool.Name).Set(pool.Total.Tflops);
            _poolCapacityVram.WithLabels(pool.Name).Set(pool.Total.VramBytes);
            _poolAllocatedTflops.WithLabels(pool.Name).Set(pool.Allocated.Tflops);
            _poolAllocatedVram.WithLabels(pool.Name).Set(pool.Allocated.VramBytes);
            _poolReadyNodes.WithLabels(pool.Name).Set(pool.ReadyNodes);
        }

        foreach (var node in report.Nodes)
        {
            var allocated = node.Total - node.Available;
            _nodeCapacityTflops.WithLabels(node.Name, node.Pool).Set(node.Total.Tflops);
            _nodeCapacityVram.WithLabels(node.Name, node.Pool).Set(node.Total.VramBytes);
            _nodeAllocatedTflops.WithLabels(node.Name, node.Pool).Set(allocated.Tflops);
            _nodeAllocatedVram.WithLabels(node.Name, node.Pool).Set(allocated.VramBytes);
        }
    }
}
