namespace TensorFusion.Estimators.Recommendation;

/// <summary>Workload QoS; it decides which estimate becomes the request (critical → upper, high → target, else lower).</summary>
public enum QosLevel
{
    Low,
    Medium,
    High,
    Critical,
}
