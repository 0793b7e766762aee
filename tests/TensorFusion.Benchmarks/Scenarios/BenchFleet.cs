using System.Globalization;
using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>The fleet the operator scenarios run on, written as agents would register it.</summary>
internal static class BenchFleet
{
    /// <summary>CRDs, the pool, and per node: the Kubernetes Node, its GPUNode and 8 H100 GPU objects with status.</summary>
    public static async Task InstallAsync(KubeRestClient client, string pool, int nodes, CancellationToken cancellationToken)
    {
        foreach (var kind in ApiKinds.All)
        {
            await client.CreateAsync<JsonNode>("apis/apiextensions.k8s.io/v1/customresourcedefinitions", CrdGenerator.Generate(kind), cancellationToken);
        }

        await client.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUPool",
            ["metadata"] = new JsonObject { ["name"] = pool },
            ["spec"] = JsonNode.Parse("""
                { "nodeManagerConfig": { "nodeSelector": { "nodeSelectorTerms": [ { "matchExpressions": [
                  { "key": "nvidia.com/gpu.present", "operator": "In", "values": ["true"] } ] } ] } } }
                """),
        }, cancellationToken);
        await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var node = $"n{i.ToString(CultureInfo.InvariantCulture)}";
            await client.CreateAsync<JsonNode>(ResourceDescriptor.GpuNodes.CollectionPath(), new JsonObject
            {
                ["apiVersion"] = TensorFusionApi.ApiVersion,
                ["kind"] = "GPUNode",
                ["metadata"] = new JsonObject { ["name"] = node, ["labels"] = new JsonObject { [Labels.GpuPool] = pool } },
            }, ct);
            for (var g = 0; g < 8; g++)
            {
                var name = $"{node}-g{g.ToString(CultureInfo.InvariantCulture)}";
                await client.CreateAsync<JsonNode>(ResourceDescriptor.Gpus.CollectionPath(), new JsonObject
                {
                    ["apiVersion"] = TensorFusionApi.ApiVersion,
                    ["kind"] = "GPU",
                    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [Labels.GpuPool] = pool } },
                }, ct);
                await client.MergePatchAsync<JsonNode>(ResourceDescriptor.Gpus.ObjectPath(null, name) + "/status", new JsonObject
                {
                    ["status"] = new JsonObject
                    {
                        ["phase"] = "Running",
                        ["gpuModel"] = "H100-80GB",
                        ["uuid"] = "GPU-" + name,
                        ["index"] = g,
                        ["capacity"] = new JsonObject { ["tflops"] = "989", ["vram"] = "80Gi" },
                        ["nodeSelector"] = new JsonObject { ["kubernetes.io/hostname"] = node },
                    },
                }, ct);
            }
        });
    }

    /// <summary>A workload in "default" with one replica whose requests equal its limits.</summary>
    public static JsonObject Workload(string name, string pool, string tflops, string vram)
    {
        var resources = new JsonObject { ["tflops"] = tflops, ["vram"] = vram };
        return new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = TensorFusionWorkload.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["poolName"] = pool,
                ["replicas"] = 1,
                ["resources"] = new JsonObject { ["requests"] = resources, ["limits"] = resources.DeepClone() },
            },
        };
    }
}
