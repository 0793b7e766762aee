namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// One worker's usage at one time. A null figure is unknown (missing, stale or NaN in the source), never zero: an
/// estimator fed a zero for "unknown" would shrink the workload.
/// </summary>
public sealed record UsageSample(string Namespace, string Workload, string Worker, DateTimeOffset Time, double? Tflops, double? VramBytes)
{
    public string WorkloadKey => $"{Namespace}/{Workload}";
}
