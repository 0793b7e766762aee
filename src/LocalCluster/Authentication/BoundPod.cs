namespace TensorFusion.LocalCluster.Authentication;

/// <summary>The pod a ServiceAccount token is bound to (TokenRequest <c>spec.boundObjectRef</c>), and the node it runs on when scheduled.</summary>
public sealed record BoundPod(string Name, string Uid, string? NodeName, string? NodeUid);
