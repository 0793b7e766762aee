using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Cron;

/// <summary>The cron recommender's answer: a result (or none) and the problems found in the rules.</summary>
/// <param name="Result">Null when no rule is active and none was recorded as active.</param>
/// <param name="Errors">Invalid rules, or more than one active rule; non-empty errors make the round recommend nothing.</param>
public sealed record CronEvaluation(RecommendationResult? Result, IReadOnlyList<string> Errors);
