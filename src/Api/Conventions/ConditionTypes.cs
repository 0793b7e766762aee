namespace TensorFusion.Api.Conventions;

/// <summary>Condition types in status.conditions.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";

    /// <summary>Autoscaler outcome on a workload (reasons in <see cref="ConditionReasons"/>).</summary>
    public const string ResourceUpdate = "ResourceUpdate";

    /// <summary>Legacy cron-rule condition; migrated to <see cref="ResourceUpdate"/> when persisted.</summary>
    public const string RecommendationProvided = "RecommendationProvided";

    /// <summary>On a GPUResourceQuota: usage passed alertThresholdPercent.</summary>
    public const string AlertThresholdReached = "AlertThresholdReached";

    /// <summary>On a placed worker pod: False while one of its GPUs is unhealthy (reported, never moved).</summary>
    public const string GpuHealthy = "GPUHealthy";
}
