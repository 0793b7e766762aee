using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Requests;
using TensorFusion.Pipelines.Simulation;

namespace TensorFusion.Pipelines.Tests.Simulation;

public sealed class FleetReaderTests
{
    [Fact]
    public void Read_TwelveNodes_NamesThemWithTwoDigitsInTheGroupsPool()
    {
        // count 12: the last index 11 has two digits, so every name is padded to two: a-00 … a-11.
        var (nodes, errors) = FleetReader.Read("""
            nodes:
              - {namePrefix: a, count: 12, pool: gold, labels: {zone: x}, gpu: {model: H100, count: 2}, hostMemory: 1Ti, isolationMode: soft}
            """, "fleet.yaml", GpuModelCatalog.Default);

        Assert.Empty(errors);
        Assert.Equal(12, nodes.Count);
        Assert.Equal(("a-00", "a-11"), (nodes[0].Name, nodes[^1].Name));
        Assert.All(nodes, node => Assert.Equal("gold", node.Pool));
        Assert.Equal(["a-00-gpu0", "a-00-gpu1"], nodes[0].Gpus.Select(gpu => gpu.Name));
        Assert.All(nodes[0].Gpus, gpu => Assert.Equal(IsolationMode.Soft, gpu.IsolationMode));
        Assert.Equal(("x", "a-00"), (nodes[0].Labels["zone"], nodes[0].Labels["kubernetes.io/hostname"]));
        // 1Ti = 2^40 bytes.
        Assert.Equal(1L << 40, nodes[0].HostMemoryBytes);
    }

    [Fact]
    public void Read_NoPool_UsesTheDefaultPool()
    {
        var (nodes, _) = FleetReader.Read("nodes: [{namePrefix: n, gpu: {model: A100-80GB}}]", "fleet.yaml", GpuModelCatalog.Default);

        Assert.Equal((FleetReader.DefaultPool, "n-0"), (Assert.Single(nodes).Pool, nodes[0].Name));
    }

    [Fact]
    public void Read_SeveralProblems_NamesEachWithItsGroupAndField()
    {
        var (nodes, errors) = FleetReader.Read("""
            nodes:
              - {count: 0, gpu: {model: H100}}
              - {namePrefix: b, gpu: {model: Z9000, count: 200}, hostDisk: lots, isolationMode: loose}
            """, "fleet.yaml", GpuModelCatalog.Default);

        Assert.Empty(nodes);
        Assert.Contains("fleet.yaml: nodes[0].namePrefix is required", errors);
        Assert.Contains("fleet.yaml: nodes[0].count must be 1-100000, got 0", errors);
        Assert.Contains(errors, error => error.StartsWith("fleet.yaml: nodes[1].gpu.model: unknown GPU model 'Z9000'", StringComparison.Ordinal));
        Assert.Contains("fleet.yaml: nodes[1].gpu.count must be 1-128, got 200", errors);
        Assert.Contains("fleet.yaml: nodes[1].hostDisk: 'lots' is not a quantity such as 512Gi or 2Ti", errors);
        Assert.Contains("fleet.yaml: nodes[1].isolationMode must be shared, soft, hard or partitioned, got 'loose'", errors);
    }

    [Fact]
    public void Read_TwoGroupsProducingOneName_ReportsTheLaterGroup()
    {
        var (_, errors) = FleetReader.Read("""
            nodes:
              - {namePrefix: n, count: 2, gpu: {model: H100}}
              - {namePrefix: n, gpu: {model: H100}}
            """, "fleet.yaml", GpuModelCatalog.Default);

        Assert.Equal("fleet.yaml: nodes[1]: node name 'n-0' is also produced by an earlier group", Assert.Single(errors));
    }
}
