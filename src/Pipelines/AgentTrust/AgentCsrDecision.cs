namespace TensorFusion.Pipelines.AgentTrust;

/// <summary>See <see cref="AgentCsrVerdict"/>.</summary>
public enum AgentCsrDecision
{
    Skip,
    Deny,
    Sign,
}
