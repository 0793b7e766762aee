using Prometheus;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Metrics;

/// <summary>
/// The node agent's Prometheus series, exactly as named in docs/metrics.md ("Node agent"), in a registry of its
/// own so several agents can live in one process. Series of workers and GPUs that are gone are removed.
/// </summary>
public sealed class AgentMetrics
{
    private static readonly string[] GpuLabels = ["node", "gpu", "model", "pool"];
    private static readonly string[] WorkerLabels = ["node", "namespace", "workload", "worker"];
    private static readonly string[] LimiterLabels = ["node", "namespace", "worker", "gpu"];
    private readonly string _node;
    private readonly string _pool;
    private readonly Gauge _gpuUtilization, _gpuMemoryUsed, _gpuMemoryTotal, _gpuPower, _gpuTemperature;
    private readonly Gauge _gpuCapacity, _gpuAllocatedTflops, _gpuAllocatedVram, _gpuHealthy;
    private readonly Gauge _workerTflopsUsed, _workerVramUsed, _workerTflopsLimit, _workerVramLimit;
    private readonly Gauge _planGeneration, _heartbeat;
    private readonly Gauge _limiterRequest, _limiterLimit, _limiterShare, _limiterTarget, _limiterGranted, _limiterTokens;
    private readonly Counter _limiterThrottled, _limiterOomRefusals, _limiterReclaimedSlots, _limiterReclaimedBytes;
    private HashSet<string[]> _limiterSeries = new(LabelComparer.Instance);
    private readonly Counter _planApplies;
    private readonly Lock _gate = new();
    private HashSet<string[]> _gpuSeries = new(LabelComparer.Instance);
    private HashSet<string[]> _workerSeries = new(LabelComparer.Instance);

    public AgentMetrics(string node, string pool)
    {
        _node = node;
        _pool = pool;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Gauge Gpu(string name, string help) => factory.CreateGauge(name, help, GpuLabels);
        Gauge Worker(string name, string help) => factory.CreateGauge(name, help, WorkerLabels);
        _gpuUtilization = Gpu("tensorfusion_gpu_compute_utilization_ratio", "SM utilisation, 0-1");
        _gpuMemoryUsed = Gpu("tensorfusion_gpu_memory_used_bytes", "Device memory in use");
        _gpuMemoryTotal = Gpu("tensorfusion_gpu_memory_total_bytes", "Device memory size");
        _gpuPower = Gpu("tensorfusion_gpu_power_watts", "Power draw");
        _gpuTemperature = Gpu("tensorfusion_gpu_temperature_celsius", "Core temperature");
        _gpuCapacity = Gpu("tensorfusion_gpu_capacity_tflops", "Dense FP16 TFLOPs of the device");
        _gpuAllocatedTflops = Gpu("tensorfusion_gpu_allocated_tflops", "TFLOPs requested by the node plan");
        _gpuAllocatedVram = Gpu("tensorfusion_gpu_allocated_vram_bytes", "VRAM requested by the node plan");
        _gpuHealthy = Gpu("tensorfusion_gpu_healthy", "1 healthy, 0 failed health checks or lost");
        _workerTflopsUsed = Worker("tensorfusion_worker_tflops_used", "TFLOPs the worker's processes use now");
        _workerVramUsed = Worker("tensorfusion_worker_vram_used_bytes", "VRAM the worker's processes use now");
        _workerTflopsLimit = Worker("tensorfusion_worker_tflops_limit", "Applied compute limit");
        _workerVramLimit = Worker("tensorfusion_worker_vram_limit_bytes", "Applied memory cap");
        _planGeneration = factory.CreateGauge("tensorfusion_agent_plan_generation", "Last plan generation applied", "node");
        _planApplies = factory.CreateCounter("tensorfusion_agent_plan_applies_total", "Plan pushes handled", "node", "result");
        _heartbeat = factory.CreateGauge("tensorfusion_agent_heartbeat_timestamp_seconds", "Unix time of the last heartbeat written", "node");
        Gauge Limiter(string name, string help) => factory.CreateGauge(name, help, LimiterLabels);
        Counter LimiterCounter(string name, string help) => factory.CreateCounter(name, help, LimiterLabels);
        _limiterRequest = Limiter("tensorfusion_worker_compute_request_percent", "Compute request (soft target), percent of the GPU");
        _limiterLimit = Limiter("tensorfusion_worker_compute_limit_percent", "Compute limit (hard cap), percent of the GPU");
        _limiterShare = Limiter("tensorfusion_worker_compute_share_percent", "Measured share of the GPU the worker's processes use");
        _limiterTarget = Limiter("tensorfusion_worker_compute_target_percent", "Share the controller steers to: request, or borrowed idle capacity up to the limit");
        _limiterGranted = Limiter("tensorfusion_worker_compute_granted_percent", "Share the token refill rate grants now");
        _limiterTokens = Limiter("tensorfusion_worker_limiter_tokens", "Launch tokens in the worker's bucket");
        _limiterThrottled = LimiterCounter("tensorfusion_worker_limiter_throttled_seconds_total", "Time kernel launches waited for tokens");
        _limiterOomRefusals = LimiterCounter("tensorfusion_worker_limiter_oom_refusals_total", "Allocations the shim refused at the memory limit");
        _limiterReclaimedSlots = LimiterCounter("tensorfusion_worker_limiter_reclaimed_slots_total", "Slots of dead processes the agent released");
        _limiterReclaimedBytes = LimiterCounter("tensorfusion_worker_limiter_reclaimed_bytes_total", "Bytes returned from slots of dead processes");
        foreach (var result in Enum.GetValues<PlanApplyResult>())
        {
            _planApplies.WithLabels(node, ResultLabel(result)); // every outcome exists from the start, at 0
        }
    }

    public CollectorRegistry Registry { get; }

    public void RecordApply(NodePlanStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _planApplies.WithLabels(_node, ResultLabel(status.Result)).Inc();
        _planGeneration.WithLabels(_node).Set(status.ObservedGeneration);
    }

    public void RecordGeneration(long generation) => _planGeneration.WithLabels(_node).Set(generation);

    public void RecordHeartbeat(DateTimeOffset now) => _heartbeat.WithLabels(_node).Set(now.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>Replaces every GPU and worker series with the given snapshot.</summary>
    public void Update(AgentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            var gpuSeries = new HashSet<string[]>(LabelComparer.Instance);
            foreach (var gpu in snapshot.Gpus)
            {
                string[] labels = [_node, gpu.Device.Uuid, gpu.Device.Model, _pool];
                gpuSeries.Add(labels);
                var metrics = snapshot.Metrics.GetValueOrDefault(gpu.Device.Index);
                var present = gpu.Present;
                _gpuUtilization.WithLabels(labels).Set(present && metrics is not null ? metrics.UtilizationPercent / 100.0 : 0);
                _gpuMemoryUsed.WithLabels(labels).Set(present && metrics is not null ? metrics.MemoryUsedBytes : 0);
                _gpuMemoryTotal.WithLabels(labels).Set(gpu.Device.MemoryTotalBytes);
                _gpuPower.WithLabels(labels).Set(present && metrics is not null ? metrics.PowerWatts : 0);
                _gpuTemperature.WithLabels(labels).Set(present && metrics is not null ? metrics.TemperatureCelsius : 0);
                _gpuCapacity.WithLabels(labels).Set(snapshot.DeviceTflops(gpu.Device));
                var shares = snapshot.Plan?.Allocations.SelectMany(a => a.Devices).Where(s => s.GpuUuid == gpu.Device.Uuid).ToArray() ?? [];
                _gpuAllocatedTflops.WithLabels(labels).Set(shares.Sum(s => s.TflopsRequest));
                _gpuAllocatedVram.WithLabels(labels).Set(shares.Sum(s => s.VramRequestBytes));
                _gpuHealthy.WithLabels(labels).Set(gpu.Healthy ? 1 : 0);
            }

            RemoveStale(_gpuSeries, gpuSeries, [_gpuUtilization, _gpuMemoryUsed, _gpuMemoryTotal, _gpuPower, _gpuTemperature,
                _gpuCapacity, _gpuAllocatedTflops, _gpuAllocatedVram, _gpuHealthy]);
            _gpuSeries = gpuSeries;
            var workerSeries = UpdateWorkers(snapshot);
            RemoveStale(_workerSeries, workerSeries, [_workerTflopsUsed, _workerVramUsed, _workerTflopsLimit, _workerVramLimit]);
            _workerSeries = workerSeries;
        }
    }

    /// <summary>Replaces the limiter series with one controller interval's readings (series of gone workers removed).</summary>
    public void UpdateLimiter(IReadOnlyList<Limiting.LimiterReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        lock (_gate)
        {
            var series = new HashSet<string[]>(LabelComparer.Instance);
            foreach (var r in readings)
            {
                // Worker keys are "namespace_worker"; DNS names never contain '_'.
                var split = r.WorkerKey.IndexOf('_', StringComparison.Ordinal);
                string[] labels = [_node, split < 0 ? "" : r.WorkerKey[..split], r.WorkerKey[(split + 1)..], r.DeviceUuid];
                series.Add(labels);
                _limiterRequest.WithLabels(labels).Set(r.RequestPercent);
                _limiterLimit.WithLabels(labels).Set(r.LimitPercent);
                _limiterShare.WithLabels(labels).Set(r.MeasuredPercent);
                _limiterTarget.WithLabels(labels).Set(r.TargetPercent);
                _limiterGranted.WithLabels(labels).Set(r.GrantedPercent);
                _limiterTokens.WithLabels(labels).Set(r.Counters.Tokens);
                _limiterThrottled.WithLabels(labels).IncTo(r.Counters.ThrottledNs / 1e9);
                _limiterOomRefusals.WithLabels(labels).IncTo(r.Counters.OomRefusals);
                _limiterReclaimedSlots.WithLabels(labels).IncTo(r.ReclaimedSlots);
                _limiterReclaimedBytes.WithLabels(labels).IncTo(r.Counters.ReclaimedBytes);
            }

            foreach (var labels in _limiterSeries.Where(l => !series.Contains(l)))
            {
                foreach (var gauge in new[] { _limiterRequest, _limiterLimit, _limiterShare, _limiterTarget, _limiterGranted, _limiterTokens })
                {
                    gauge.RemoveLabelled(labels);
                }

                foreach (var counter in new[] { _limiterThrottled, _limiterOomRefusals, _limiterReclaimedSlots, _limiterReclaimedBytes })
                {
                    counter.RemoveLabelled(labels);
                }
            }

            _limiterSeries = series;
        }
    }

    private HashSet<string[]> UpdateWorkers(AgentSnapshot snapshot)
    {
        var series = new HashSet<string[]>(LabelComparer.Instance);
        var devicesByIndex = snapshot.Gpus.Select(g => g.Device).GroupBy(d => d.Index).ToDictionary(g => g.Key, g => g.First());
        var processesByWorker = snapshot.Processes.Where(p => p.WorkerId.Length > 0).ToLookup(p => p.WorkerId, StringComparer.Ordinal);
        foreach (var allocation in snapshot.Plan?.Allocations ?? [])
        {
            string[] labels = [_node, allocation.Namespace, allocation.Workload, allocation.Worker];
            series.Add(labels);
            var processes = processesByWorker[allocation.WorkerKey()].ToArray();
            // Used TFLOPs = share of the device's SMs × the device's TFLOPs, summed over the worker's processes.
            var used = processes.Sum(p => devicesByIndex.TryGetValue(p.DeviceIndex, out var d)
                ? p.UtilizationPercent / 100.0 * snapshot.DeviceTflops(d) : 0);
            _workerTflopsUsed.WithLabels(labels).Set(used);
            _workerVramUsed.WithLabels(labels).Set(processes.Sum(p => p.MemoryUsedBytes));
            _workerTflopsLimit.WithLabels(labels).Set(allocation.Devices.Sum(s => s.TflopsLimit > 0 ? s.TflopsLimit : s.TflopsRequest));
            _workerVramLimit.WithLabels(labels).Set(allocation.Devices.Sum(s => s.VramLimitBytes > 0 ? s.VramLimitBytes : s.VramRequestBytes));
        }

        return series;
    }

    private static void RemoveStale(HashSet<string[]> previous, HashSet<string[]> current, Gauge[] gauges)
    {
        foreach (var labels in previous.Where(l => !current.Contains(l)))
        {
            foreach (var gauge in gauges)
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }

    private static string ResultLabel(PlanApplyResult result) => result.ToString().ToLowerInvariant();

    private sealed class LabelComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(string[] obj) => obj.Aggregate(17, (hash, s) => hash * 31 + StringComparer.Ordinal.GetHashCode(s));
    }
}
