using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Health;

/// <summary>
/// Remembers every GPU the node has shown, so a GPU that disappears (fell off the bus) is reported as failed
/// rather than silently forgotten; an Xid-critical GPU is failed too. A failed GPU stays failed until it is
/// listed healthy again.
/// </summary>
public sealed class GpuHealthTracker
{
    /// <summary>Why a GPU is unhealthy when the driver's health events could not be attributed to one GPU.</summary>
    public const string FailSafeReason =
        "the driver's health events could not be read (event wait failed or named an unknown GPU): every GPU on this node is held unhealthy until the agent restarts";

    private readonly Dictionary<string, GpuHealthState> _known = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Folds in the latest listing and per-device metrics; returns every known GPU's state.</summary>
    public IReadOnlyList<GpuHealthState> Observe(IReadOnlyList<DeviceInfo> listed, IReadOnlyDictionary<int, DeviceMetrics> metrics)
    {
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_gate)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var device in listed)
            {
                present.Add(device.Uuid);
                var health = metrics.TryGetValue(device.Index, out var m) && m.Health != DeviceHealth.Healthy ? m.Health : device.Health;
                var reason = health switch
                {
                    DeviceHealth.XidCritical when m is { LastXid: > 0 } => $"critical Xid {m.LastXid} reported by the driver",
                    // No Xid: the backend's fail-safe (the driver's event wait failed, or named a GPU it never listed),
                    // so nobody knows which GPU is sick and every one is held back until the agent restarts.
                    DeviceHealth.XidCritical => FailSafeReason,
                    DeviceHealth.Lost => "device lost",
                    _ => null,
                };
                _known[device.Uuid] = new GpuHealthState(device, Present: true, health == DeviceHealth.Healthy, reason);
            }

            foreach (var (uuid, state) in _known.Where(kv => !present.Contains(kv.Key)).ToArray())
            {
                _known[uuid] = state with { Present = false, Healthy = false, Reason = "device disappeared from the node (lost)" };
            }

            return _known.Values.OrderBy(s => s.Device.Index).ToArray();
        }
    }
}
