using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.External;

/// <summary>What is POSTed to an external scaler (upstream's <c>ExternalScalerRequest</c>); the HTTP call lives in Pipelines.</summary>
public sealed record ExternalScalerRequest(string WorkloadName, string Namespace, WorkloadResources CurrentResources);
