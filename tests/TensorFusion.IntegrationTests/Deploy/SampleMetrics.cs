namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// Sample series for every metric of docs/metrics.md, with label values like a small real cluster's:
/// two pools, three GPU nodes, two workloads. Counters and histograms grow with the scrape number so
/// that rate() and histogram_quantile() have something to compute.
/// </summary>
internal static class SampleMetrics
{
    // (node, pool, model, gpus, TFLOPs per GPU, VRAM per GPU)
    private static readonly (string Node, string Pool, string Model, int Gpus, double Tflops, double Vram)[] Nodes =
    [
        ("gpu-node-a", "default-pool", "H100", 2, 989.5, 80e9),
        ("gpu-node-b", "default-pool", "H100", 1, 989.5, 80e9),
        ("gpu-node-c", "training", "A100", 1, 312, 40e9),
    ];

    // (node, namespace, workload, worker, TFLOPs used, VRAM used)
    private static readonly (string Node, string Namespace, string Workload, string Worker, double Tflops, double Vram)[] Workers =
    [
        ("gpu-node-a", "ml", "llama-infer", "llama-infer-0", 180, 30e9),
        ("gpu-node-a", "ml", "llama-infer", "llama-infer-1", 120, 26e9),
        ("gpu-node-c", "research", "bert-train", "bert-train-0", 90, 12e9),
    ];

    private static readonly string[] Controllers = ["workload", "gpupool", "gpunode", "gpu"];
    private static readonly string[] Kinds = ["TensorFusionWorkload", "Pod", "GPU", "GPUNode", "GPUPool", "Node"];
    private static readonly string[] Pools = ["default-pool", "training"];
    private static readonly double[] SecondsBuckets = [0.005, 0.025, 0.1, 0.5, 2.5];

    /// <summary>What the operator pool gauges report, so tests can state the expected panel values.</summary>
    public static readonly IReadOnlyDictionary<string, (double Capacity, double Allocated)> PoolTflops =
        new Dictionary<string, (double, double)> { ["default-pool"] = (2968.5, 700), ["training"] = (312, 156) };

    public static string Agent(long scrape, DateTimeOffset now)
    {
        var text = new PrometheusTextWriter();
        var gpus = Nodes.SelectMany(n => Enumerable.Range(0, n.Gpus).Select(i =>
            (Labels: $"node=\"{n.Node}\",gpu=\"GPU-{i}\",model=\"{n.Model}\",pool=\"{n.Pool}\"", n.Tflops, n.Vram, Index: i))).ToList();
        text.Family("tensorfusion_gpu_compute_utilization_ratio", "gauge", gpus.Select(g => (g.Labels, 0.35 + (0.2 * g.Index))));
        text.Family("tensorfusion_gpu_memory_used_bytes", "gauge", gpus.Select(g => (g.Labels, g.Vram * 0.6)));
        text.Family("tensorfusion_gpu_memory_total_bytes", "gauge", gpus.Select(g => (g.Labels, g.Vram)));
        text.Family("tensorfusion_gpu_power_watts", "gauge", gpus.Select(g => (g.Labels, 310.0 + g.Index)));
        text.Family("tensorfusion_gpu_temperature_celsius", "gauge", gpus.Select(g => (g.Labels, 61.0 + g.Index)));
        text.Family("tensorfusion_gpu_capacity_tflops", "gauge", gpus.Select(g => (g.Labels, g.Tflops)));
        text.Family("tensorfusion_gpu_allocated_tflops", "gauge", gpus.Select(g => (g.Labels, g.Tflops / 4)));
        text.Family("tensorfusion_gpu_allocated_vram_bytes", "gauge", gpus.Select(g => (g.Labels, g.Vram / 2)));
        text.Family("tensorfusion_gpu_healthy", "gauge", gpus.Select(g => (g.Labels, 1.0)));

        var workers = Workers.Select(w => (Labels: $"node=\"{w.Node}\",namespace=\"{w.Namespace}\",workload=\"{w.Workload}\",worker=\"{w.Worker}\"", w.Tflops, w.Vram)).ToList();
        text.Family("tensorfusion_worker_tflops_used", "gauge", workers.Select(w => (w.Labels, w.Tflops)));
        text.Family("tensorfusion_worker_vram_used_bytes", "gauge", workers.Select(w => (w.Labels, w.Vram)));
        text.Family("tensorfusion_worker_tflops_limit", "gauge", workers.Select(w => (w.Labels, 250.0)));
        text.Family("tensorfusion_worker_vram_limit_bytes", "gauge", workers.Select(w => (w.Labels, 40e9)));

        // Limiter series: one (worker, GPU) each, labelled node, namespace, worker, gpu.
        var limited = Workers.Select((w, i) => $"node=\"{w.Node}\",namespace=\"{w.Namespace}\",worker=\"{w.Worker}\",gpu=\"GPU-{i % 2}\"").ToList();
        text.Family("tensorfusion_worker_compute_request_percent", "gauge", limited.Select(l => (l, 25.0)));
        text.Family("tensorfusion_worker_compute_limit_percent", "gauge", limited.Select(l => (l, 50.0)));
        text.Family("tensorfusion_worker_compute_share_percent", "gauge", limited.Select(l => (l, 48.0)));
        text.Family("tensorfusion_worker_compute_target_percent", "gauge", limited.Select(l => (l, 50.0)));
        text.Family("tensorfusion_worker_compute_granted_percent", "gauge", limited.Select(l => (l, 50.0)));
        text.Family("tensorfusion_worker_limiter_tokens", "gauge", limited.Select(l => (l, 1200.0)));
        text.Family("tensorfusion_worker_limiter_throttled_seconds_total", "counter", limited.Select(l => (l, 0.2 * scrape)));
        text.Family("tensorfusion_worker_limiter_oom_refusals_total", "counter", limited.Select(l => (l, (double)scrape)));
        text.Family("tensorfusion_worker_limiter_reclaimed_slots_total", "counter", limited.Select(l => (l, 0.0)));
        text.Family("tensorfusion_worker_limiter_reclaimed_bytes_total", "counter", limited.Select(l => (l, 0.0)));

        var nodes = Nodes.Select(n => $"node=\"{n.Node}\"").ToList();
        text.Family("tensorfusion_agent_plan_generation", "gauge", nodes.Select(n => (n, 42.0)));
        text.Family("tensorfusion_agent_plan_applies_total", "counter", nodes.SelectMany(n => new[]
        {
            (n + ",result=\"applied\"", 2.0 * scrape), (n + ",result=\"noop\"", 5.0 * scrape),
            (n + ",result=\"refused\"", 0.0), (n + ",result=\"failed\"", 0.0),
        }));
        text.Family("tensorfusion_agent_heartbeat_timestamp_seconds", "gauge", nodes.Select(n => (n, (double)now.ToUnixTimeSeconds())));
        return text.ToString();
    }

    public static string Operator(long scrape)
    {
        var text = new PrometheusTextWriter();
        text.Family("tensorfusion_reconcile_total", "counter", Controllers.SelectMany(c => new[]
        {
            ($"controller=\"{c}\",result=\"success\"", 20.0 * scrape), ($"controller=\"{c}\",result=\"requeue\"", 2.0 * scrape),
            ($"controller=\"{c}\",result=\"requeue_after\"", 1.0 * scrape), ($"controller=\"{c}\",result=\"error\"", 1.0 * scrape),
            ($"controller=\"{c}\",result=\"terminal\"", 0.0),
        }));
        text.Histogram("tensorfusion_reconcile_duration_seconds", Controllers.Select(c =>
            ($"controller=\"{c}\"", SecondsBuckets, new[] { 10 * scrape, 8 * scrape, 3 * scrape, scrape, 0L }, 0.6 * scrape)));
        text.Family("tensorfusion_workqueue_depth", "gauge", Controllers.Select(c => ($"queue=\"{c}\"", 3.0)));
        text.Histogram("tensorfusion_workqueue_queue_duration_seconds", Controllers.Select(c =>
            ($"queue=\"{c}\"", SecondsBuckets, new[] { 15 * scrape, 5 * scrape, 2 * scrape, 0L, 0L }, 0.3 * scrape)));
        text.Family("tensorfusion_workqueue_retries_total", "counter", Controllers.Select(c => ($"queue=\"{c}\"", 1.0 * scrape)));
        text.Family("tensorfusion_informer_relists_total", "counter", Kinds.Select(k => ($"kind=\"{k}\"", 1.0)));
        text.Family("tensorfusion_informer_watch_restarts_total", "counter", Kinds.Select(k => ($"kind=\"{k}\"", 1.0 * scrape)));
        text.Family("tensorfusion_informer_cache_objects", "gauge", Kinds.Select(k => ($"kind=\"{k}\"", 12.0)));
        text.Family("tensorfusion_invalid_objects", "gauge", Kinds.Select(k => ($"kind=\"{k}\"", 0.0)));

        var pools = Pools.Select(p => $"pool=\"{p}\"").ToList();
        text.Histogram("tensorfusion_allocation_batch_size", pools.Select(p =>
            (p, new[] { 1.0, 8, 64, 512 }, new[] { 2 * scrape, 3 * scrape, scrape, 0L }, 30.0 * scrape)));
        text.Histogram("tensorfusion_allocation_latency_seconds", pools.Select(p =>
            (p, SecondsBuckets, new[] { 0L, 4 * scrape, 2 * scrape, 0L, 0L }, 0.2 * scrape)));
        text.Family("tensorfusion_allocation_decisions_total", "counter", pools.SelectMany(p => new[]
        {
            (p + ",result=\"placed\"", 6.0 * scrape), (p + ",result=\"preempted\"", 0.0), (p + ",result=\"unschedulable\"", 1.0 * scrape),
        }));
        text.Family("tensorfusion_allocation_unschedulable_workers", "gauge", pools.Select(p => (p, 1.0)));
        text.Family("tensorfusion_allocation_preemptions_total", "counter", pools.Select(p => (p, 0.0)));
        text.Family("tensorfusion_allocation_batch_failures_total", "counter", [(string.Empty, 0.0)]);
        text.Family("tensorfusion_plan_push_conflicts_total", "counter", [("outcome=\"repushed\"", 0.0), ("outcome=\"fenced\"", 0.0)]);
        text.Family("tensorfusion_agent_tls_refusals_total", "counter", [("reason=\"wrong-node\"", 0.0), ("reason=\"untrusted\"", 0.0)]);
        text.Family("tensorfusion_agent_certificates_total", "counter", [("outcome=\"issued\"", 2.0), ("outcome=\"denied\"", 0.0)]);
        text.Family("tensorfusion_pool_capacity_tflops", "gauge", Pools.Select(p => ($"pool=\"{p}\"", PoolTflops[p].Capacity)));
        text.Family("tensorfusion_pool_capacity_vram_bytes", "gauge", Pools.Select(p => ($"pool=\"{p}\"", p == "training" ? 40e9 : 240e9)));
        text.Family("tensorfusion_pool_allocated_tflops", "gauge", Pools.Select(p => ($"pool=\"{p}\"", PoolTflops[p].Allocated)));
        text.Family("tensorfusion_pool_allocated_vram_bytes", "gauge", Pools.Select(p => ($"pool=\"{p}\"", p == "training" ? 12e9 : 56e9)));
        text.Family("tensorfusion_pool_ready_nodes", "gauge", Pools.Select(p => ($"pool=\"{p}\"", Nodes.Count(n => n.Pool == p) * 1.0)));

        var nodes = Nodes.Select(n => (Labels: $"node=\"{n.Node}\",pool=\"{n.Pool}\"", n.Gpus, n.Tflops, n.Vram)).ToList();
        text.Family("tensorfusion_node_capacity_tflops", "gauge", nodes.Select(n => (n.Labels, n.Gpus * n.Tflops)));
        text.Family("tensorfusion_node_capacity_vram_bytes", "gauge", nodes.Select(n => (n.Labels, n.Gpus * n.Vram)));
        text.Family("tensorfusion_node_allocated_tflops", "gauge", nodes.Select(n => (n.Labels, n.Gpus * n.Tflops / 4)));
        text.Family("tensorfusion_node_allocated_vram_bytes", "gauge", nodes.Select(n => (n.Labels, n.Gpus * n.Vram / 2)));

        (string Namespace, string Workload, string Phase, double Tflops, double Vram)[] workloads =
            [("ml", "llama-infer", "Running", 200, 32e9), ("research", "bert-train", "Pending", 100, 16e9)];
        string[] phases = ["Pending", "Running", "Failed"];
        text.Family("tensorfusion_workload_phase", "gauge", workloads.SelectMany(w => phases.Select(phase =>
            ($"namespace=\"{w.Namespace}\",workload=\"{w.Workload}\",phase=\"{phase}\"", phase == w.Phase ? 1.0 : 0.0))));
        text.Family("tensorfusion_workload_request_tflops", "gauge", workloads.Select(w => ($"namespace=\"{w.Namespace}\",workload=\"{w.Workload}\"", w.Tflops)));
        text.Family("tensorfusion_workload_request_vram_bytes", "gauge", workloads.Select(w => ($"namespace=\"{w.Namespace}\",workload=\"{w.Workload}\"", w.Vram)));
        (string Bound, double Factor)[] bounds = [("lower", 0.6), ("target", 0.8), ("upper", 1.3)];
        text.Family("tensorfusion_workload_recommendation_tflops", "gauge", workloads.SelectMany(w => bounds.Select(b =>
            ($"namespace=\"{w.Namespace}\",workload=\"{w.Workload}\",bound=\"{b.Bound}\"", w.Tflops * b.Factor))));
        text.Family("tensorfusion_workload_recommendation_vram_bytes", "gauge", workloads.SelectMany(w => bounds.Select(b =>
            ($"namespace=\"{w.Namespace}\",workload=\"{w.Workload}\",bound=\"{b.Bound}\"", w.Vram * b.Factor))));
        (string Result, double Count)[] checkpoints = [("restored", 2), ("rejected", 0), ("written", 14), ("failed", 1)];
        text.Family("tensorfusion_autoscaling_checkpoints_total", "counter", checkpoints.Select(c => ($"result=\"{c.Result}\"", c.Count)));
        return text.ToString();
    }
}
