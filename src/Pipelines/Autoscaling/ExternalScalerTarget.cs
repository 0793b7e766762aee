namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// A workload's external scaler: where to POST, the Secret holding its bearer key (if any), its initial delay, and how
/// often to ask (null: every evaluation of the workload; in between, its last answer stands).
/// </summary>
public sealed record ExternalScalerTarget(Uri Url, string? SecretNamespace, string? SecretName, TimeSpan InitialDelay, TimeSpan? Interval = null);
