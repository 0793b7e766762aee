using System.Text.Json;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.DeviceDelivery.Cdi;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The worker's transient CDI spec: golden JSON, the lowest version its fields allow, and the CDI rules.</summary>
public sealed class CdiSpecTests
{
    private static readonly DeliveryPaths Paths = new()
    {
        CdiDirectory = "/var/run/cdi",
        LimiterDirectory = "/var/lib/tensor-fusion/limiter",
        RegionDirectory = "/var/lib/tensorfusion/agent/limits",
    };

    [Fact]
    public void From_SoftWorker_MatchesGoldenSpec()
    {
        var edits = SoftWorker("team", "train-0");

        var json = JsonSerializer.Serialize(WorkerCdiSpec.From(edits), CdiSpecDirectory.JsonOptions);

        Assert.Equal(Golden("soft-worker.json"), json);
    }

    [Fact]
    public void From_LimiterDisabled_MatchesGoldenSpecWithoutMounts()
    {
        var edits = SoftWorker("team", "train-0") with
        {
            Env = [new(WorkerEditsBuilder.WorkerEnv, "team/train-0")],
            Mounts = [],
            LimiterDisabled = true,
        };

        var json = JsonSerializer.Serialize(WorkerCdiSpec.From(edits), CdiSpecDirectory.JsonOptions);

        Assert.Equal(Golden("limiter-disabled.json"), json);
    }

    [Theory]
    [InlineData("team", "0.3.0")]
    [InlineData("1team", "0.5.0")] // CDI allowed a device name to start with a digit only from 0.5.0
    public void From_DeviceName_UsesLowestVersionItsFieldsAllow(string @namespace, string expected)
    {
        var spec = WorkerCdiSpec.From(SoftWorker(@namespace, "w"));

        Assert.Equal(expected, spec.CdiVersion);
        Assert.Empty(CdiSpecRules.Problems(spec));
    }

    [Fact]
    public void Problems_SpecBreakingEveryRule_NamesEachField()
    {
        var device = new CdiDevice("-bad", new CdiContainerEdits(["NOEQUALS"], [new CdiMount("relative", "/x", ["ro"])]));
        var spec = new CdiSpec("0.2.5", "tensor-fusion.ai/", [device, device]);

        var problems = CdiSpecRules.Problems(spec);

        Assert.Contains(problems, p => p.StartsWith("cdiVersion: '0.2.5' is not a released", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("kind: class is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("devices: '-bad' appears 2 times", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("devices[0].name: device name '-bad' must start", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("devices[0].containerEdits.env[0]: 'NOEQUALS'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("devices[1].containerEdits.mounts[0].hostPath: 'relative'", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_VersionBelowWhatTheFieldsNeed_IsRefused()
    {
        var spec = WorkerCdiSpec.From(SoftWorker("1team", "w")) with { CdiVersion = "0.3.0" };

        Assert.Equal(["cdiVersion: '0.3.0' is too low; the fields need 0.5.0"], CdiSpecRules.Problems(spec));
    }

    [Theory]
    [InlineData("tensor-fusion.ai/worker", null)]
    [InlineData("nvidia.com/gpu", null)]
    [InlineData("worker", "kind 'worker' is not vendor/class")]
    [InlineData("9vendor.io/worker", "vendor '9vendor.io' must start with a letter and end with a letter or digit")]
    [InlineData("vendor.io/wor/ker", "class 'wor/ker' holds '/' (allowed: letters, digits, _ - .)")]
    public void KindProblem_FollowsCdiRules(string kind, string? expected) => Assert.Equal(expected, CdiNames.KindProblem(kind));

    [Theory]
    [InlineData("team_train-0", null)]
    [InlineData("MIG-GPU-1:0", null)]
    [InlineData("team/train", "device name 'team/train' holds '/' (allowed: letters, digits, _ - . :)")]
    [InlineData("train-", "device name 'train-' must start and end with a letter or digit")]
    [InlineData("", "device name is empty")]
    public void DeviceNameProblem_FollowsCdiRules(string name, string? expected) => Assert.Equal(expected, CdiNames.DeviceNameProblem(name));

    [Fact]
    public void WorkerKeyOfSpecFile_OurFileAndOthers_OnlyOursHaveAKey()
    {
        Assert.Equal("team_train-0", CdiNames.WorkerKeyOfSpecFile(CdiNames.SpecFileName("team_train-0")));
        Assert.Null(CdiNames.WorkerKeyOfSpecFile("nvidia.yaml"));
    }

    private static WorkerEdits SoftWorker(string @namespace, string worker) =>
        new(@namespace, worker,
            [new DeliveredGpu("GPU-1111", 0, "GPU-1111", CdiNames.NvidiaDevice("GPU-1111"))],
            [new(WorkerEditsBuilder.WorkerEnv, $"{@namespace}/{worker}"), new(WorkerEditsBuilder.ShimStateEnv, DeliveryPaths.ContainerRegion)],
            [
                new EditMount(Paths.LimiterLibraryHostPath, DeliveryPaths.ContainerLimiterLibrary, ReadOnly: true),
                new EditMount(Paths.PreloadHostPath, DeliveryPaths.ContainerPreload, ReadOnly: true),
                new EditMount(Paths.RegionHostPath($"{@namespace}_{worker}"), DeliveryPaths.ContainerRegion, ReadOnly: false),
            ],
            LimiterDisabled: false);

    private static string Golden(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DeviceDelivery", "Golden", name)).TrimEnd('\n').ReplaceLineEndings("\n");
}
