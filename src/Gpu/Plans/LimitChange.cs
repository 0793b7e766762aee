using TensorFusion.Gpu.Devices;

namespace TensorFusion.Gpu.Plans;

/// <summary>The limiter configuration one worker must have.</summary>
public sealed record LimitChange(string WorkerKey, IReadOnlyList<WorkerLimits> Limits);
