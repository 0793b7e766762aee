using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>Port: asks a workload's external scaler for resources. Never throws for network errors; the answer says why.</summary>
public interface IExternalScaler
{
    Task<ExternalScalerAnswer> AskAsync(AutoscaleTarget target, WorkloadResources current, CancellationToken cancellationToken);
}
