namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>One GPU a worker gets: the physical GPU (<paramref name="GpuUuid"/>, index <paramref name="DeviceIndex"/>)
/// and the device handed to the container, which is the GPU itself or, for a partitioned worker, its MIG instance
/// (<paramref name="DeviceUuid"/>). <paramref name="CdiName"/> is NVIDIA's CDI name of that device.</summary>
public sealed record DeliveredGpu(string GpuUuid, int DeviceIndex, string DeviceUuid, string CdiName);
