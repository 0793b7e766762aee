namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>A bind mount of a worker's container edits (host path as the container runtime on the host sees it).</summary>
public sealed record EditMount(string HostPath, string ContainerPath, bool ReadOnly);
