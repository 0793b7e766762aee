using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Health;

namespace TensorFusion.Agent.Metrics;

/// <summary>One consistent reading of the node that metrics (and the API) are rendered from.</summary>
public sealed record AgentSnapshot(
    IReadOnlyList<GpuHealthState> Gpus,
    IReadOnlyDictionary<int, DeviceMetrics> Metrics,
    IReadOnlyList<ProcessUsage> Processes,
    NodePlan? Plan,
    Func<DeviceInfo, double> DeviceTflops);
