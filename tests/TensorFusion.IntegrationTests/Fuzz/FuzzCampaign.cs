using System.Net;
using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Workloads;
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
    public const string Namespace = "fuzz";
    public const string Pool = "fuzz-pool";

    private static readonly (ResourceDescriptor Resource, string Crd)[] Kinds =
    [
        (ResourceDescriptor.Workloads, "tensorfusionworkloads.tensor-fusion.ai"),
        (ResourceDescriptor.GpuPools, "gpupools.tensor-fusion.ai"),
        (ResourceDescriptor.GpuResourceQuotas, "gpuresourcequotas.tensor-fusion.ai"),
        (ResourceDescriptor.WorkloadProfiles, "workloadprofiles.tensor-fusion.ai"),
    ];

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
        foreach (var (_, crd) in Kinds)
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

            var (resource, crd) = Kinds[random.Next(Kinds.Length)];
            var body = Build(fuzzer, random, resource, schemas[crd], index);
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

    private static JsonObject Build(SchemaFuzzer fuzzer, Random random, ResourceDescriptor resource, JsonObject schema, int index)
    {
        var spec = fuzzer.Value(schema["properties"]!["spec"]!.AsObject(), "spec") as JsonObject ?? [];
        if (resource == ResourceDescriptor.Workloads)
        {
            // Most go to the GPU-less fuzz pool (their workers reach the allocator, never a GPU); some name no pool at all.
            spec["poolName"] = random.Next(10) == 0 ? "no-such-pool" : Pool;
        }

        // Edge names: 253 characters (a valid subdomain, but too long for a label value or a pod name suffix), one character.
        var name = random.Next(8) switch
        {
            0 => (new string('a', 240) + index.ToString("D13", System.Globalization.CultureInfo.InvariantCulture))[..253],
            1 => index % 2 == 0 ? "z" : string.Empty,
            _ => $"fz-{index}",
        };
        var metadata = new JsonObject { ["name"] = name };
        if (resource.Namespaced)
        {
            metadata["namespace"] = Namespace;
        }

        return new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary>Stored fuzz workloads the operator has given a status (a phase or a condition): handled, not lost.</summary>
    public static bool Handled(TensorFusionWorkload workload) =>
        workload.Status?.Phase is not null || workload.Status?.Conditions is { Count: > 0 };

    /// <summary>A fuzz workload the operator marked as bad: a condition that is not True.</summary>
    public static bool Quarantined(TensorFusionWorkload workload) =>
        workload.Status?.Conditions?.Any(condition => condition.Status == "False") == true || workload.Status?.Phase == WorkloadPhase.Failed;
}
