using TensorFusion.LocalCluster.Controllers.Dra;

namespace TensorFusion.LocalCluster.Tests.Simulation;

public sealed class CdiResolverTests : IDisposable
{
    private readonly string _static = Directory.CreateTempSubdirectory("tf-cdi-etc-").FullName;
    private readonly string _dynamic = Directory.CreateTempSubdirectory("tf-cdi-run-").FullName;

    [Fact]
    public void Resolve_SameKindInBothDirectories_LaterDirectoryWins_YamlRead()
    {
        File.WriteAllText(Path.Combine(_static, "nvidia.yaml"), """
            cdiVersion: 0.5.0
            kind: nvidia.com/gpu
            devices:
            - name: GPU-1
              containerEdits:
                deviceNodes: [{path: /dev/old}]
            """);
        File.WriteAllText(Path.Combine(_dynamic, "nvidia.json"),
            """{"cdiVersion":"0.5.0","kind":"nvidia.com/gpu","devices":[{"name":"GPU-1","containerEdits":{"deviceNodes":[{"path":"/dev/nvidia1"}],"env":["A=1"]}}]}""");

        var edits = CdiResolver.Resolve([_static, _dynamic], ["nvidia.com/gpu=GPU-1"]);

        Assert.Equal("/dev/nvidia1", Assert.Single(edits["deviceNodes"]!.AsArray())!["path"]!.GetValue<string>());
        Assert.Equal("A=1", Assert.Single(edits["env"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public void Resolve_SimulatedKindWithoutSpec_StandsInWithOneDeviceNode()
    {
        var edits = CdiResolver.Resolve([_dynamic], ["nvidia.com/gpu=MIG-7"], ["nvidia.com/gpu"]);

        Assert.Equal("/dev/simulated/nvidia.com/gpu/MIG-7", Assert.Single(edits["deviceNodes"]!.AsArray())!["path"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nvidia.com/gpu=GPU-9", "unresolvable CDI device nvidia.com/gpu=GPU-9: no CDI spec of kind nvidia.com/gpu")]
    [InlineData("gpu-1", "CDI device name \"gpu-1\" is not vendor.com/class=name")]
    public void Resolve_UnknownOrMalformedDevice_ErrorNamesIt(string device, string expected)
    {
        var failure = Assert.Throws<DraPrepareException>(() => CdiResolver.Resolve([_static, _dynamic], [device]));

        Assert.StartsWith(expected, failure.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_static, recursive: true);
        Directory.Delete(_dynamic, recursive: true);
    }
}
