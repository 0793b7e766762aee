namespace TensorFusion.Agent.Applying;

/// <summary>What the agent found on start: whether the node rebooted, and what became of an interrupted change.</summary>
public sealed record RecoveryReport(bool HadCheckpoint, bool Rebooted, string? InterruptedAction, string? Outcome);
