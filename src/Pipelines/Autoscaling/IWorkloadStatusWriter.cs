namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>Port: writes a workload's recommendation, active cron rule, ResourceUpdate condition and applied replica count.</summary>
public interface IWorkloadStatusWriter
{
    Task WriteAsync(AutoscaleDecision decision, int? appliedRecommendedReplicas, CancellationToken cancellationToken);
}
