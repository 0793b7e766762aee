using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Health;

/// <summary>The agent's verdict on one GPU: its last listing, whether it is still listed, healthy or not, and why not.</summary>
public sealed record GpuHealthState(DeviceInfo Device, bool Present, bool Healthy, string? Reason);
