using TensorFusion.Gpu.Devices;
using TensorFusion.Agent.Attribution;

namespace TensorFusion.Agent.Tests.Attribution;

public sealed class ProcessAttributorTests : IDisposable
{
    private const string PodUid = "1a2b3c4d-0000-4e5f-8a9b-0123456789ab";
    private readonly string _proc = Directory.CreateTempSubdirectory("tf-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void Attribute_ProcessInAKnownWorkerPod_NamesTheWorker()
    {
        WriteCgroup(4242, $"0::/kubepods.slice/kubepods-pod{PodUid.Replace('-', '_')}.slice/cri-containerd-1.scope\n");
        var attributor = new ProcessAttributor(_proc, new FixedDirectory(new() { [PodUid] = "team-a_llm-worker-0" }));

        var result = attributor.Attribute([new ProcessUsage(4242, 0, 1024, 37, null, "")]);

        var process = Assert.Single(result);
        Assert.Equal("team-a_llm-worker-0", process.WorkerId);
        Assert.Equal(37, process.UtilizationPercent);
    }

    [Fact]
    public void Attribute_ExitedHostOrUnknownPodProcesses_StayUnattributed()
    {
        WriteCgroup(1, "0::/init.scope\n");
        WriteCgroup(7, "0::/kubepods/pod99999999-0000-4e5f-8a9b-0123456789ab/x\n");
        var attributor = new ProcessAttributor(_proc, new FixedDirectory([]));

        // pid 5 has no /proc entry: it exited between the driver's listing and our read.
        var result = attributor.Attribute([new(1, 0, 1, 1, null, ""), new(5, 0, 1, 1, null, ""), new(7, 0, 1, 1, null, "")]);

        Assert.All(result, process => Assert.Equal("", process.WorkerId));
    }

    [Fact]
    public void Attribute_BackendAlreadyNamedTheWorker_KeepsItsName()
    {
        var attributor = new ProcessAttributor(_proc, new FixedDirectory([]));

        var result = attributor.Attribute([new ProcessUsage(3, 0, 1, 1, null, "ns_sim-worker")]);

        Assert.Equal("ns_sim-worker", Assert.Single(result).WorkerId);
    }

    private void WriteCgroup(int pid, string text)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(directory.FullName, "cgroup"), text);
    }

    private sealed class FixedDirectory(Dictionary<string, string> keys) : IWorkerDirectory
    {
        public string? WorkerKeyOf(string podUid) => keys.GetValueOrDefault(podUid);
    }
}
