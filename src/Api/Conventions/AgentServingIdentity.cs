namespace TensorFusion.Api.Conventions;

/// <summary>
/// The names the operator–agent channel's TLS is built on (docs/agent-protocol.md, "Transport and authentication"):
/// each agent asks the CSR API for a serving certificate from <see cref="SignerName"/>, naming its node in the subject
/// and as the only DNS name; the operator signs it with the CA it keeps in <see cref="CaSecretName"/> and publishes the
/// CA certificate in the ConfigMap <see cref="CaConfigMapName"/> (key <see cref="CaConfigMapKey"/>) for anyone to read.
/// </summary>
public static class AgentServingIdentity
{
    public const string SignerName = "tensor-fusion.ai/agent-serving";
    public const string CommonNamePrefix = "system:tensor-fusion-agent:";
    public const string CaSecretName = "tensorfusion-agent-ca";
    public const string CaConfigMapName = "tensorfusion-agent-ca";
    public const string CaConfigMapKey = "ca.crt";

    /// <summary>The ServiceAccount the agents run under (deploy/base/agent/serviceaccount.yaml).</summary>
    public const string AgentServiceAccount = "tensorfusion-agent";

    /// <summary>Bound ServiceAccount tokens carry the pod's node here (user.extra); a CSR that has it must name that node.</summary>
    public const string NodeNameExtra = "authentication.kubernetes.io/node-name";

    /// <summary>Usages an agent asks for; the signer refuses any other.</summary>
    public static IReadOnlyList<string> Usages { get; } = ["digital signature", "server auth"];

    public static string CommonName(string node) => CommonNamePrefix + node;

    /// <summary>The node a subject common name names, or null when it is not an agent's.</summary>
    public static string? NodeOf(string? commonName) =>
        commonName is not null && commonName.StartsWith(CommonNamePrefix, StringComparison.Ordinal) && commonName.Length > CommonNamePrefix.Length
            ? commonName[CommonNamePrefix.Length..]
            : null;

    /// <summary>The agent's ServiceAccount user name in <paramref name="namespace"/>.</summary>
    public static string AgentUser(string @namespace) => $"system:serviceaccount:{@namespace}:{AgentServiceAccount}";
}
