using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Percentile;

/// <summary>Everything the percentile recommender looks at for one workload.</summary>
/// <param name="Aggregate">The workload's usage history.</param>
/// <param name="Spec">The workload's <c>spec.resources</c> ("original"): the anchor of the ratio clamps.</param>
/// <param name="Current">The last recommendation in status, if any; otherwise the spec is current.</param>
/// <param name="Qos">Chooses which estimate becomes the request.</param>
/// <param name="Options">Parsed <c>autoSetResources</c>.</param>
/// <param name="CreationTime">The workload's creation time; the initial delay counts from here.</param>
/// <param name="Now">Evaluation time.</param>
public sealed record PercentileRecommenderInput(
    WorkloadUsageAggregate Aggregate,
    WorkloadResources Spec,
    WorkloadResources? Current,
    QosLevel Qos,
    PercentileOptions Options,
    DateTimeOffset CreationTime,
    DateTimeOffset Now);
