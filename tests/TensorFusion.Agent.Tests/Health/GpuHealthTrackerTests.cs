using TensorFusion.Agent.Health;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Tests.Health;

public sealed class GpuHealthTrackerTests
{
    [Fact]
    public void Observe_CriticalXid_ReasonNamesTheXid()
    {
        var tracker = new GpuHealthTracker();

        var states = tracker.Observe([Device(0), Device(1, DeviceHealth.XidCritical)], new Dictionary<int, DeviceMetrics> { [1] = Metrics(1, DeviceHealth.XidCritical, 79) });

        Assert.True(states[0].Healthy);
        Assert.False(states[1].Healthy);
        Assert.Equal("critical Xid 79 reported by the driver", states[1].Reason);
    }

    [Fact]
    public void Observe_XidCriticalWithoutXid_SaysTheEventWaitFailedNotXidZero()
    {
        // The NVML backend's fail-safe after a failed nvmlEventSetWait: every GPU XidCritical, no Xid recorded.
        var tracker = new GpuHealthTracker();

        var states = tracker.Observe([Device(0, DeviceHealth.XidCritical), Device(1, DeviceHealth.XidCritical)],
            new Dictionary<int, DeviceMetrics> { [0] = Metrics(0, DeviceHealth.XidCritical, 0), [1] = Metrics(1, DeviceHealth.XidCritical, 0) });

        Assert.All(states, state => Assert.Equal(GpuHealthTracker.FailSafeReason, state.Reason));
        Assert.DoesNotContain("Xid 0", states[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_GpuDisappears_ReportedLostUntilListedAgain()
    {
        var tracker = new GpuHealthTracker();
        tracker.Observe([Device(0), Device(1)], new Dictionary<int, DeviceMetrics>());

        var gone = tracker.Observe([Device(0)], new Dictionary<int, DeviceMetrics>());
        var back = tracker.Observe([Device(0), Device(1)], new Dictionary<int, DeviceMetrics>());

        Assert.False(gone[1].Present);
        Assert.False(gone[1].Healthy);
        Assert.Contains("lost", gone[1].Reason, StringComparison.Ordinal);
        Assert.True(back[1].Healthy);
    }

    private static DeviceInfo Device(int index, DeviceHealth health = DeviceHealth.Healthy) =>
        new($"GPU-{index}", "A100-80GB", index, 0, 80L << 30, 108, MigCapable: false, MigEnabled: false, health, MaxTflops: 312);

    private static DeviceMetrics Metrics(int index, DeviceHealth health, int xid) => new(index, 0, 0, 0, 0, health, xid);
}
