using Prometheus;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>Recommendation gauges per workload, named as in docs/metrics.md.</summary>
public sealed class AutoscalingMetrics
{
    private static readonly string[] Bounds = ["lower", "target", "upper"];
    private readonly Gauge _tflops;
    private readonly Gauge _vram;
    private readonly Counter _checkpoints;

    public AutoscalingMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _tflops = factory.CreateGauge("tensorfusion_workload_recommendation_tflops", "Estimator output per worker.", "namespace", "workload", "bound");
        _vram = factory.CreateGauge("tensorfusion_workload_recommendation_vram_bytes", "Estimator output per worker.", "namespace", "workload", "bound");
        _checkpoints = factory.CreateCounter("tensorfusion_autoscaling_checkpoints_total",
            "Usage checkpoints on workloads: restored, rejected (unreadable or another version), written, failed (write errors).", "result");
        foreach (var result in CheckpointResults)
        {
            _checkpoints.WithLabels(result);
        }
    }

    /// <summary>The values of the checkpoint counter's result label.</summary>
    public static IReadOnlyList<string> CheckpointResults { get; } = ["restored", "rejected", "written", "failed"];

    public void CountCheckpoint(string result) => _checkpoints.WithLabels(result).Inc();

    public void Record(AutoscaleDecision decision)
    {
        var (ns, name) = (decision.Namespace, decision.Name);
        _tflops.WithLabels(ns, name, "target").Set(decision.Recommendation.Requests.Tflops);
        _vram.WithLabels(ns, name, "target").Set(decision.Recommendation.Requests.VramBytes);
        if (decision.Estimates.Tflops.UpperBound > 0 || decision.Estimates.Vram.UpperBound > 0)
        {
            _tflops.WithLabels(ns, name, "lower").Set(decision.Estimates.Tflops.LowerBound);
            _tflops.WithLabels(ns, name, "upper").Set(decision.Estimates.Tflops.UpperBound);
            _vram.WithLabels(ns, name, "lower").Set(decision.Estimates.Vram.LowerBound);
            _vram.WithLabels(ns, name, "upper").Set(decision.Estimates.Vram.UpperBound);
        }
    }

    /// <summary>Removes a deleted workload's series.</summary>
    public void Forget(string workloadNamespace, string workload)
    {
        foreach (var bound in Bounds)
        {
            _tflops.RemoveLabelled(workloadNamespace, workload, bound);
            _vram.RemoveLabelled(workloadNamespace, workload, bound);
        }
    }
}
