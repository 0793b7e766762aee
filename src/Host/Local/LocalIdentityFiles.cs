namespace TensorFusion.Host.Local;

/// <summary>Where the operator's and the agents' kubeconfigs are, and the token the operator presents to the agents.</summary>
public sealed record LocalIdentityFiles(string OperatorKubeconfig, string AgentKubeconfig, string OperatorAgentToken);
