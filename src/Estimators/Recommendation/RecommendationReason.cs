namespace TensorFusion.Estimators.Recommendation;

/// <summary>Why a recommender answered as it did; the names are upstream's condition reasons.</summary>
public enum RecommendationReason
{
    /// <summary>The recommendation differs from the current resources and should be applied.</summary>
    Updated,

    /// <summary>Every request moved by no more than the update threshold: recorded, not applied.</summary>
    InsideUpdateThreshold,

    /// <summary>The workload is younger than its initial delay: nothing changes.</summary>
    LowConfidence,

    /// <summary>A cron rule's window is open: its desired resources apply (and act as a floor).</summary>
    RuleActive,

    /// <summary>A cron rule's window closed: resources revert to the spec.</summary>
    RuleInactive,

    /// <summary>The external scaler says no change is needed.</summary>
    NoScalingNeeded,

    /// <summary>No usage samples yet.</summary>
    NoData,
}
