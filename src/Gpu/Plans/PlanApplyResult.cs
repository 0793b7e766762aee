namespace TensorFusion.Gpu.Plans;

/// <summary>The outcome of one plan push (also the <c>result</c> label of tensorfusion_agent_plan_applies_total).</summary>
public enum PlanApplyResult
{
    /// <summary>The device was changed toward the plan (some allocations may still be pending).</summary>
    Applied,
    /// <summary>Nothing to change: the node already matches the plan.</summary>
    Noop,
    /// <summary>Refused: an older generation, or the same generation with different content, or invalid.</summary>
    Refused,
    /// <summary>Accepted, but at least one allocation failed.</summary>
    Failed,
}
