using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Pipelines.Simulation;

namespace TensorFusion.Pipelines.Tests.Simulation;

public sealed class SimulationInputReaderTests
{
    private const string GoldFleet = "nodes: [{namePrefix: n, pool: gold, gpu: {model: H100}}]";

    private static string Workload(string name, string spec) => $$"""
        apiVersion: tensor-fusion.ai/v1
        kind: TensorFusionWorkload
        metadata: {name: {{name}}, namespace: team}
        spec: {{spec}}
        ---

        """;

    [Fact]
    public void Read_NoPoolNamedOnAOnePoolFleet_WorkersGoToThatPoolWithTheOverride()
    {
        var (input, errors) = SimulationInputReader.Read(
            GoldFleet, "fleet.yaml", Workload("w", """{replicas: 2, resources: {requests: {tflops: "1", vram: 1Gi}}}"""), "workloads.yaml",
            PlacementStrategy.LowLoadFirst, GpuModelCatalog.Default, batchSize: 5);

        Assert.Empty(errors);
        Assert.Equal([("w-0", "gold"), ("w-1", "gold")], input!.Requests.Select(request => (request.Worker, request.Pool)));
        Assert.Equal(("gold", PlacementStrategy.LowLoadFirst), (Assert.Single(input.Pools).Name, input.Pools[0].Strategy));
        Assert.Equal(5, input.BatchSize);
    }

    [Fact]
    public void Read_SameWorkloadTwice_ReportsTheWorkerAndNoInput()
    {
        var workloads = Workload("w", """{resources: {requests: {tflops: "1", vram: 1Gi}}}""") + Workload("w", """{resources: {requests: {tflops: "2", vram: 1Gi}}}""");

        var (input, errors) = SimulationInputReader.Read(GoldFleet, "fleet.yaml", workloads, "workloads.yaml", null, GpuModelCatalog.Default);

        Assert.Null(input);
        Assert.Equal("workloads.yaml: worker team/w-0 is produced by two workloads", Assert.Single(errors));
    }

    [Fact]
    public void Read_NoWorkloadDocuments_SaysSo()
    {
        var (input, errors) = SimulationInputReader.Read(GoldFleet, "fleet.yaml", "", "workloads.yaml", null, GpuModelCatalog.Default);

        Assert.Null(input);
        Assert.Equal("workloads.yaml: no TensorFusionWorkload documents found", Assert.Single(errors));
    }
}
