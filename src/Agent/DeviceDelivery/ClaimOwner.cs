namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>The worker pod a ResourceClaim belongs to and the claim's request names (for the kubelet's answer).</summary>
public sealed record ClaimOwner(string Namespace, string Worker, IReadOnlyList<string> RequestNames);
