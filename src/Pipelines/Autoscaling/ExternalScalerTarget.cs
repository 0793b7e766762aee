namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>A workload's external scaler: where to POST, the Secret holding its bearer key (if any), its initial delay.</summary>
public sealed record ExternalScalerTarget(Uri Url, string? SecretNamespace, string? SecretName, TimeSpan InitialDelay);
