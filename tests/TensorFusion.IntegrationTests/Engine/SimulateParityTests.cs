using System.Globalization;
using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Simulation;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Simulation;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>
/// <c>simulate</c> and the operator read the same API objects through the same mapping, so the same fleet and workloads
/// land on the same GPUs. The objects exercise every rule the two once disagreed on: a quota that limits VRAM only (once
/// 0 TFLOPs in simulate), a workload's required node affinity (once ignored by the operator), QoS left to upstream's
/// default, and the pool's SchedulingConfigTemplate placement mode.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class SimulateParityTests
{
    private const string Fleet = """
        nodes:
          - {namePrefix: a, count: 1, pool: pool-a, gpu: {model: H100, count: 2}}
          - {namePrefix: b, count: 1, pool: pool-a, labels: {zone: b}, gpu: {model: H100, count: 2}}
        """;

    private static readonly JsonObject Template = Document("SchedulingConfigTemplate", "pack", null, """{"placement":{"mode":"CompactFirst"}}""");

    private static readonly JsonObject Quota = Document("GPUResourceQuota", "quota", OperatorCluster.Namespace, """{"total":{"requests":{"vram":"200Gi"}}}""");

    // Requests equal limits and no QoS: high by upstream's default, so it is placed before the medium pair in one batch.
    private static readonly JsonObject Pinned = Document("TensorFusionWorkload", "pinned", OperatorCluster.Namespace, """
        {"poolName":"pool-a","replicas":1,"resources":{"requests":{"tflops":"100","vram":"20Gi"},"limits":{"tflops":"100","vram":"20Gi"}},
         "nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]}]}}}
        """);

    private static readonly JsonObject Pair = Document("TensorFusionWorkload", "pair", OperatorCluster.Namespace, """
        {"poolName":"pool-a","replicas":2,"qos":"medium","resources":{"requests":{"tflops":"300","vram":"30Gi"}}}
        """);

    [Fact]
    public async Task Simulate_SameFleetAndWorkloads_PlacesLikeTheOperator()
    {
        await using var engine = await EngineCluster.StartAsync();
        var direct = engine.Cluster.Direct;
        // The zone label is on b-0's GPUNode before its agent registers (the agent keeps an existing GPUNode's labels).
        await direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuNodes.CollectionPath(), Document("GPUNode", "b-0", null, "{}", new JsonObject
        {
            [Labels.GpuPool] = EngineCluster.Pool,
            ["zone"] = "b",
        }), CancellationToken.None);
        await engine.AddGpuNodeAsync("a-0");
        await engine.AddGpuNodeAsync("b-0");
        await direct.CreateAsync<JsonNode>(ResourceDescriptor.SchedulingConfigTemplates.CollectionPath(), Template.DeepClone(), CancellationToken.None);
        await direct.MergePatchAsync<JsonNode>(ResourceDescriptor.GpuPools.ObjectPath(null, EngineCluster.Pool),
            JsonNode.Parse("""{"spec":{"schedulingConfigTemplate":"pack"}}""")!, CancellationToken.None);
        await direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuResourceQuotas.CollectionPath(OperatorCluster.Namespace), Quota.DeepClone(), CancellationToken.None);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);

        // Pinned first and alone: the operator batches by arrival, simulate by QoS, and both then see it placed first.
        await direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(OperatorCluster.Namespace), Pinned.DeepClone(), CancellationToken.None);
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("pinned").Count == 1, "the pinned worker runs");
        await direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(OperatorCluster.Namespace), Pair.DeepClone(), CancellationToken.None);
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("pair").Count == 2, "both pair workers run");
        var operatorPlacements = await OperatorPlacementsAsync(engine);

        var simulated = Simulate();

        // CompactFirst puts all three workers on b-0's first GPU: 100 + 2 × 300 = 700 of 989 TFLOPs, 20 + 2 × 30 = 80 of 80 GiB.
        Assert.Equal(["pair b-0/0", "pair b-0/0", "pinned b-0/0"], simulated);
        Assert.Equal(simulated, operatorPlacements);
    }

    /// <summary>Each running worker as "workload node/gpu-index", sorted.</summary>
    private static async Task<List<string>> OperatorPlacementsAsync(EngineCluster engine)
    {
        var gpus = await engine.Cluster.Direct.GetAsync<JsonNode>(ResourceDescriptor.Gpus.CollectionPath(), CancellationToken.None);
        var indexOf = gpus["items"]!.AsArray().ToDictionary(
            gpu => gpu!["metadata"]!["name"]!.GetValue<string>(),
            gpu => gpu!["status"]!["index"]!.GetValue<int>(),
            StringComparer.Ordinal);
        return [.. new[] { "pinned", "pair" }
            .SelectMany(workload => engine.RunningWorkers(workload).SelectMany(pod => pod.Metadata.Annotations[Annotations.GpuIds].Split(',')
                .Select(gpu => $"{workload} {pod.Spec.NodeName}/{indexOf[gpu].ToString(CultureInfo.InvariantCulture)}")))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The same objects through <c>simulate</c> (JSON documents are YAML), as "workload node/gpu-index", sorted.</summary>
    private static List<string> Simulate()
    {
        var pool = OperatorCluster.PoolObject(EngineCluster.Pool);
        pool["spec"]!["schedulingConfigTemplate"] = "pack";
        var documents = string.Join("\n---\n", new[] { pool, Template, Quota, Pinned, Pair }.Select(document => document.ToJsonString()));
        var (input, errors) = SimulationInputReader.Read(Fleet, "fleet.yaml", documents, "workloads.yaml", null, GpuModelCatalog.Default);
        Assert.True(input is not null, string.Join("; ", errors));

        var report = SimulationRunner.Run(input, TimeProvider.System, _ => { });

        return [.. report.Placements
            .SelectMany(row => row.Gpus.Select(gpu => $"{row.Workload.Split('/')[1]} {row.Node}/{gpu[(gpu.LastIndexOf("gpu", StringComparison.Ordinal) + 3)..]}"))
            .Order(StringComparer.Ordinal)];
    }

    private static JsonObject Document(string kind, string name, string? @namespace, string spec, JsonObject? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (@namespace is not null)
        {
            metadata["namespace"] = @namespace;
        }

        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["spec"] = JsonNode.Parse(spec),
        };
    }
}
