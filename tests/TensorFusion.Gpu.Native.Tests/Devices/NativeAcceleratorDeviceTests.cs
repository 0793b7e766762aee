using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Devices;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Native.Tests.Devices;

public sealed class NativeAcceleratorDeviceTests : IDisposable
{
    private readonly string _limitsDirectory = Directory.CreateTempSubdirectory("tfaccel-port-").FullName;

    public void Dispose() => Directory.Delete(_limitsDirectory, recursive: true);

    [Fact]
    public void ListDevices_Simulator_ReportsCatalogFacts()
    {
        using var device = Open("H200-141GB", 2);

        var devices = device.ListDevices();

        Assert.Equal(2, devices.Count);
        Assert.Equal("node-a-1", devices[1].Uuid);
        Assert.Equal("H200-141GB", devices[0].Model);
        Assert.Equal(143771L * 1024 * 1024, devices[0].MemoryTotalBytes);
        Assert.Equal(989.0, devices[0].MaxTflops);
        Assert.True(devices[0].MigCapable);
        Assert.Equal(DeviceHealth.Healthy, devices[0].Health);
    }

    [Fact]
    public void OpenSimulator_UnknownModel_ThrowsNamingTheModel()
    {
        var error = Assert.Throws<AcceleratorException>(() => Open("Z9000", 1));

        Assert.Equal(AcceleratorError.InvalidArgument, error.Error);
        Assert.Contains("Z9000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSimulator_UuidPrefixTooLong_ThrowsNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            NativeAcceleratorDevice.OpenSimulator(new SimulatorOptions("L4", 1, new string('x', 40)), null));

        Assert.Contains("UuidPrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetMetrics_TwoProcesses_SumsUtilizationAndMemory()
    {
        using var device = Open("A100-80GB", 1);
        device.StartProcess(10, 0, null, "ns_a", LoadModel.Constant(0.25, 1L << 30));
        device.StartProcess(11, 0, null, "ns_b", LoadModel.Constant(0.5, 3L << 30));

        var metrics = device.GetMetrics(0);

        // 25 % + 50 % = 75 %; power 60 W + 0.75 x (400 - 60) W = 315 W.
        Assert.Equal(75, metrics.UtilizationPercent);
        Assert.Equal(4L << 30, metrics.MemoryUsedBytes);
        Assert.Equal(315.0, metrics.PowerWatts, 3);
        Assert.Equal(["ns_a", "ns_b"], device.ListProcesses().Select(p => p.WorkerId).Order());
    }

    [Fact]
    public void ListProcesses_MoreThanInitialCapacity_GrowsBuffer()
    {
        using var device = Open("L4", 1);
        for (var pid = 1; pid <= 40; pid++)
        {
            device.StartProcess(pid, 0, null, $"w{pid}", LoadModel.Constant(0.01, 0));
        }

        Assert.Equal(40, device.ListProcesses().Count);
    }

    [Fact]
    public void CreateMigInstance_OverlappingPlacement_ThrowsResourceExhausted()
    {
        using var device = Open("A100-40GB", 1);
        device.SetMigMode(0, enabled: true);
        var threeG = device.CreateMigInstance(0, profileId: 9, placementStart: 0);

        var error = Assert.Throws<AcceleratorException>(() => device.CreateMigInstance(0, profileId: 14, placementStart: 2));

        Assert.Equal(AcceleratorError.ResourceExhausted, error.Error);
        Assert.Equal(4, threeG.PlacementSize);
        Assert.Single(device.ListMigInstances(0));
        Assert.Equal([0, 4], device.ListMigProfiles(0).Single(p => p.ProfileId == 9).PlacementStarts);
    }

    [Fact]
    public void DestroyMigInstance_ProcessRunning_ThrowsInUseUntilItStops()
    {
        using var device = Open("A100-40GB", 1);
        device.SetMigMode(0, enabled: true);
        var instance = device.CreateMigInstance(0, profileId: 19, placementStart: 3);
        device.StartProcess(5, 0, instance.GpuInstanceId, "w", LoadModel.Constant(1, 0));

        var error = Assert.Throws<AcceleratorException>(() => device.DestroyMigInstance(0, instance.GpuInstanceId));
        Assert.True(device.StopProcess(5));
        device.DestroyMigInstance(0, instance.GpuInstanceId);

        Assert.Equal(AcceleratorError.InUse, error.Error);
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.Empty(device.ListMigInstances(0));
    }

    [Fact]
    public void SetWorkerLimits_RoundTrip_ReadsBackAndRemoves()
    {
        using var device = Open("A100-80GB", 1);
        WorkerLimits[] limits = [new("node-a-0", IsolationMode.Soft, 30, 50, 4L << 30, 8L << 30)];

        device.SetWorkerLimits("team_train-0", limits);

        Assert.Equal(limits, device.GetWorkerLimits("team_train-0"));
        Assert.Equal(["team_train-0"], device.ListLimitedWorkers());
        Assert.True(device.RemoveWorkerLimits("team_train-0"));
        Assert.False(device.RemoveWorkerLimits("team_train-0"));
        Assert.Empty(device.GetWorkerLimits("team_train-0"));
    }

    [Fact]
    public void SetWorkerLimits_UnsafeWorkerId_ThrowsInvalidArgument()
    {
        using var device = Open("A100-80GB", 1);

        var error = Assert.Throws<AcceleratorException>(() => device.SetWorkerLimits("../escape", []));

        Assert.Equal(AcceleratorError.InvalidArgument, error.Error);
    }

    [Fact]
    public void StartProcess_TraceLoad_ReplaysSamplesOnCallerClock()
    {
        using var device = Open("L4", 1);
        device.StartProcess(1, 0, null, "w", new LoadModel(LoadKind.Trace, 0, 0) { Trace = [0.1, 0.7], TraceIntervalSeconds = 10 });

        var first = device.ListProcesses()[0].UtilizationPercent;
        device.SetTime(10_000);
        var second = device.ListProcesses()[0].UtilizationPercent;

        Assert.Equal((10, 70), (first, second));
        Assert.Throws<AcceleratorException>(() => device.SetTime(5_000));
    }

    [Fact]
    public void InjectFault_Lost_RemovesDeviceAndMetricsReportGpuLost()
    {
        using var device = Open("H100-80GB", 2);

        device.InjectFault(0, DeviceHealth.Lost);

        Assert.Equal(["node-a-1"], device.ListDevices().Select(d => d.Uuid));
        Assert.Equal(AcceleratorError.GpuLost, Assert.Throws<AcceleratorException>(() => device.GetMetrics(0)).Error);
    }

    [Fact]
    public void OpenNvml_ThisMachine_EitherOpensOrReportsNoDriver()
    {
        try
        {
            using var device = NativeAcceleratorDevice.OpenNvml(null);
            Assert.False(device.IsSimulator);
            Assert.NotNull(device.ListDevices());
        }
        catch (AcceleratorException e)
        {
            Assert.Equal(AcceleratorError.NoDriver, e.Error);
            Assert.Contains("no NVIDIA driver", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OpenNvml_MissingLibraryPath_ReportsNoDriver()
    {
        try
        {
            var error = Assert.Throws<AcceleratorException>(() => NativeAcceleratorDevice.OpenNvml(null, "/nonexistent/libnvidia-ml.so.1"));

            Assert.Equal(AcceleratorError.NoDriver, error.Error);
        }
        finally
        {
            TensorFusion.Gpu.Native.Interop.NativeMethods.SetEnv("TFACCEL_NVML_LIBRARY", "", 1); // "" means the loader's default again
        }
    }

    private NativeAcceleratorDevice Open(string model, int devices) =>
        NativeAcceleratorDevice.OpenSimulator(new SimulatorOptions(model, devices, "node-a", Seed: 3), _limitsDirectory);
}
