using TensorFusion.Gpu.Devices;
using TensorFusion.Agent.Health;

namespace TensorFusion.Agent.Registration;

/// <summary>What the agent publishes about its node at one moment.</summary>
public sealed record NodeReport(
    string NodeName,
    string Pool,
    IReadOnlyList<GpuHealthState> Gpus,
    Func<DeviceInfo, double> DeviceTflops,
    DateTimeOffset Now);
