namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>A ResourceClaim the agent prepared: its identity and the worker (a pod in the claim's namespace) it serves.</summary>
public sealed record DeliveredClaim(string Uid, string Namespace, string Name, string Worker);
