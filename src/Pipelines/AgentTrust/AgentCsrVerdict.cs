using System.Security.Cryptography.X509Certificates;

namespace TensorFusion.Pipelines.AgentTrust;

/// <summary>What the signer does with one CertificateSigningRequest: nothing (another signer's, or decided), deny with a reason, or sign for a node.</summary>
public sealed record AgentCsrVerdict(AgentCsrDecision Decision, string? Node, string Reason, PublicKey? PublicKey = null)
{
    public static AgentCsrVerdict Skip(string reason) => new(AgentCsrDecision.Skip, null, reason);

    public static AgentCsrVerdict Deny(string? node, string reason) => new(AgentCsrDecision.Deny, node, reason);
}
