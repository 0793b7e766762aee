using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Applying;
using TensorFusion.Agent.Checkpoint;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Agent.Tests;

/// <summary>A simulated node for agent tests: one simulator ("the hardware"), a state directory that survives agent
/// restarts, and a boot id file the test can change to simulate a reboot.</summary>
internal sealed class AgentTestNode : IDisposable
{
    public const string NodeName = "node-a";

    private AgentTestNode(string model, int gpus)
    {
        StateDirectory = Directory.CreateTempSubdirectory("tf-agent-").FullName;
        BootIdPath = Path.Combine(StateDirectory, "boot_id");
        File.WriteAllText(BootIdPath, "boot-1\n");
        Model = model;
        GpuCount = gpus;
        Device = OpenDevice();
    }

    public string StateDirectory { get; }
    public string BootIdPath { get; }
    public string Model { get; }
    public int GpuCount { get; }
    public NativeAcceleratorDevice Device { get; private set; }
    public string LimitsDirectory => Path.Combine(StateDirectory, "limits");
    public string CheckpointPath => Path.Combine(StateDirectory, "checkpoint.json");

    public static AgentTestNode Create(string model = "A100-80GB", int gpus = 2) => new(model, gpus);

    public static string GpuUuid(int index) => $"{NodeName}-gpu-{index}";

    public NodePlanApplier NewApplier(Action<AgentFaultPoint, CheckpointIntent>? faultHook = null) =>
        new(Device, new AgentCheckpointStore(CheckpointPath), NodeName, BootId.Read(BootIdPath), d => d.MaxTflops, faultHook);

    /// <summary>Power-cycles the node: a new boot id and factory-fresh devices (partitions gone, limits files kept on disk).</summary>
    public void Reboot()
    {
        Device.Dispose();
        File.WriteAllText(BootIdPath, "boot-2\n");
        Device = OpenDevice();
    }

    public IReadOnlyList<(string Gpu, int Profile, int Start)> Partitions() =>
        Device.ListDevices().Where(d => d.MigEnabled)
            .SelectMany(d => Device.ListMigInstances(d.Index).Select(i => (d.Uuid, i.ProfileId, i.PlacementStart)))
            .Order().ToArray();

    public void Dispose()
    {
        Device.Dispose();
        Directory.Delete(StateDirectory, recursive: true);
    }

    public static NodePlan Plan(long generation, params PlannedAllocation[] allocations) => new(NodeName, generation, allocations);

    /// <summary>A fractional share: 78 of 312 TFLOPs (25 %) requested, 156 (50 %) limit, 8/16 GiB VRAM.</summary>
    public static PlannedAllocation Fractional(string worker, int gpu = 0, IsolationMode isolation = IsolationMode.Soft) =>
        new("team", "train", worker, isolation, [new PlannedDeviceShare(GpuUuid(gpu), 78, 156, 8L << 30, 16L << 30)]);

    public static PlannedAllocation Partitioned(string worker, int profileId, int start, int gpu = 0) =>
        new("team", "train", worker, IsolationMode.Partitioned,
            [new PlannedDeviceShare(GpuUuid(gpu), 0, 0, 0, 0, new PlannedPartition(profileId, start))]);

    private NativeAcceleratorDevice OpenDevice() =>
        NativeAcceleratorDevice.OpenSimulator(new SimulatorOptions(Model, GpuCount, $"{NodeName}-gpu", Seed: 1), LimitsDirectory);
}
