using System.Net;
using System.Text.Json.Nodes;
using TensorFusion.IntegrationTests.Engine;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Fuzz;

/// <summary>
/// Applies schema-valid, value-hostile workloads, pools, quotas and profiles (namespace <see cref="Namespace"/>, pool
/// <see cref="Pool"/> without GPUs, so their workers meet the allocator in the same batches as everybody else's) to the
/// embedded control plane with the operator running, a canary workload in the GPU pool after every
/// <c>canaryEvery</c> objects. The caller asserts on the returned counts.
/// </summary>
internal sealed class FuzzCampaign(EngineCluster engine, int seed, int objects, int canaryEvery, int maxReplicas)
{
    public const string Namespace = FuzzObjects.Namespace;
    public const string Pool = "fuzz-pool";

    public List<string> Canaries { get; } = [];

    public List<string> StoredWorkloads { get; } = [];

    public int Tried { get; private set; }

    public int Rejected { get; private set; }

    public async Task ApplyAsync()
    {
        var direct = engine.Cluster.Direct;
        await direct.CreateAsync<JsonNode>("/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = Namespace },
        }, CancellationToken.None);
        await engine.Cluster.CreatePoolAsync(Pool);
        var schemas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (_, crd) in FuzzObjects.Kinds)
        {
            var definition = await direct.GetAsync<JsonNode>($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}", CancellationToken.None);
            schemas[crd] = definition["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        }

        var random = new Random(seed);
        var fuzzer = new SchemaFuzzer(random, maxReplicas);
        for (var index = 0; index < objects; index++)
        {
            if (index % canaryEvery == 0)
            {
                var canary = $"canary-{seed}-{index}";
                await engine.CreateWorkloadAsync(canary, replicas: 1, tflops: "10", vram: "1Gi");
                Canaries.Add(canary);
            }

            var (resource, crd) = FuzzObjects.Kinds[random.Next(FuzzObjects.Kinds.Length)];
            var body = FuzzObjects.Build(fuzzer, random, resource, schemas[crd], index, Pool);
            Tried++;
            try
            {
                await direct.CreateAsync<JsonNode>(resource.Namespaced ? resource.CollectionPath(Namespace) : resource.CollectionPath(), body, CancellationToken.None);
                if (resource == ResourceDescriptor.Workloads)
                {
                    StoredWorkloads.Add(body["metadata"]!["name"]!.ToString());
                }
            }
            catch (ApiStatusException rejected) when (rejected.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
            {
                // Rejected at admission with a message naming the field (422), or a name already taken (409): nothing stored.
                Assert.False(string.IsNullOrWhiteSpace(rejected.Message), $"seed {seed}: an admission rejection without a message");
                Rejected++;
            }
        }
    }
}
