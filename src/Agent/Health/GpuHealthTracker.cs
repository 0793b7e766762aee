using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Health;

/// <summary>
/// Remembers every GPU the node has shown, so a GPU that disappears (fell off the bus) is reported as failed
/// rather than silently forgotten; an Xid-critical GPU is failed too. A failed GPU stays failed until it is
/// listed healthy again.
/// </summary>
public sealed class GpuHealthTracker
{
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
                    DeviceHealth.XidCritical => $"critical Xid {(m is null ? 0 : m.LastXid)} reported by the driver",
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
