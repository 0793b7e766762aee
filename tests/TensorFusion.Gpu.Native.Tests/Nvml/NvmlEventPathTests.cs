using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Devices;

namespace TensorFusion.Gpu.Native.Tests.Nvml;

/// <summary>
/// The NVML backend's health-event path against a fake driver (<see cref="FakeNvml"/>): critical Xids mark their GPU,
/// application Xids do not, and a failing nvmlEventSetWait — the driver cannot say which GPU is sick — marks every GPU
/// unhealthy (fail-safe, as the NVIDIA device plugin does), stays that way, and the backend keeps waiting for events.
/// One class, run serially: the fake's state is process-wide.
/// </summary>
[Trait("Category", "Fault")]
[Collection(NvmlEnvironment.Name)]
public sealed class NvmlEventPathTests
{
    [Fact]
    public void OpenNvml_FakeDriver_RegistersEveryGpuForCriticalXids()
    {
        using var device = Open();

        var devices = device.ListDevices();

        Assert.Equal(2, devices.Count);
        Assert.Equal(2u, FakeNvml.RegisteredDevices);
        Assert.All(devices, gpu => Assert.Equal(DeviceHealth.Healthy, gpu.Health));
    }

    [Theory]
    [InlineData(79ul, DeviceHealth.XidCritical)]
    [InlineData(48ul, DeviceHealth.XidCritical)]
    // Xid 13 (graphics engine exception) is the application's fault, not the GPU's.
    [InlineData(13ul, DeviceHealth.Healthy)]
    public void CriticalXidEvent_MarksOnlyThatGpu(ulong xid, DeviceHealth expected)
    {
        using var device = Open();
        FakeNvml.QueueXid(1, xid);

        var devices = device.ListDevices();
        var metrics = device.GetMetrics(1);

        Assert.Equal(DeviceHealth.Healthy, devices[0].Health);
        Assert.Equal(expected, devices[1].Health);
        Assert.Equal(expected == DeviceHealth.Healthy ? 0 : (int)xid, metrics.LastXid);
    }

    [Theory]
    [InlineData(FakeNvml.GpuIsLost)]
    [InlineData(FakeNvml.Unknown)]
    public void EventWaitError_MarksEveryGpuUnhealthyWithXidZero(int code)
    {
        using var device = Open();
        FakeNvml.FailWaits(code, 1);

        var devices = device.ListDevices();

        // Still listed (the GPUs answer queries; only the event set failed), but none takes new work.
        Assert.Equal(2, devices.Count);
        Assert.All(devices, gpu => Assert.Equal(DeviceHealth.XidCritical, gpu.Health));
        Assert.Equal(0, device.GetMetrics(0).LastXid);
    }

    [Fact]
    public void EventWaitError_ThenWaitsSucceed_StaysUnhealthyAndKeepsWatching()
    {
        using var device = Open();
        FakeNvml.FailWaits(FakeNvml.Unknown, 1);
        device.ListDevices();
        var callsAfterError = FakeNvml.WaitCalls;

        // The set works again: the backend still waits on it (each read drains it), and the GPUs stay marked: a
        // sickness nobody could attribute is not forgotten because the next wait timed out.
        var later = device.ListDevices();
        device.GetMetrics(0);

        Assert.True(FakeNvml.WaitCalls >= callsAfterError + 2, $"waits after the error: {FakeNvml.WaitCalls - callsAfterError}");
        Assert.All(later, gpu => Assert.Equal(DeviceHealth.XidCritical, gpu.Health));
    }

    [Fact]
    public void EventForUnknownDevice_MarksEveryGpuUnhealthy()
    {
        using var device = Open();
        FakeNvml.QueueXid(-1, 79);

        var devices = device.ListDevices();

        Assert.All(devices, gpu => Assert.Equal(DeviceHealth.XidCritical, gpu.Health));
    }

    private static NativeAcceleratorDevice Open()
    {
        FakeNvml.Reset();
        try
        {
            return NativeAcceleratorDevice.OpenNvml(null, FakeNvml.LibraryPath);
        }
        finally
        {
            TensorFusion.Gpu.Native.Interop.NativeMethods.SetEnv("TFACCEL_NVML_LIBRARY", "", 1); // read at open only: the loader's default again
        }
    }
}
