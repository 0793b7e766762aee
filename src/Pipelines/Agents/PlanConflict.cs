namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// An agent refused a push (409) because it holds <paramref name="AgentGeneration"/>, not below the pushed one.
/// <paramref name="Fenced"/>: that generation is from a later leader's term, so this process stopped pushing to the
/// node; otherwise the dispatcher rebased its generations above the agent's and pushed the plan again at once.
/// </summary>
public sealed record PlanConflict(string Node, long PushedGeneration, long AgentGeneration, bool Fenced);
