using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Fuzz;

/// <summary>
/// The fuzzed kinds and how one hostile object of each is built, and how its answer is read back: shared by the fuzz
/// test and the benchmark scenario <c>fuzz</c> (tests/TensorFusion.Benchmarks links this file).
/// </summary>
internal static class FuzzObjects
{
    /// <summary>Namespace of every fuzzed namespaced object.</summary>
    public const string Namespace = "fuzz";

    public static readonly (ResourceDescriptor Resource, string Crd)[] Kinds =
    [
        (ResourceDescriptor.Workloads, "tensorfusionworkloads.tensor-fusion.ai"),
        (ResourceDescriptor.GpuPools, "gpupools.tensor-fusion.ai"),
        (ResourceDescriptor.GpuResourceQuotas, "gpuresourcequotas.tensor-fusion.ai"),
        (ResourceDescriptor.WorkloadProfiles, "workloadprofiles.tensor-fusion.ai"),
    ];

    public static JsonObject Build(SchemaFuzzer fuzzer, Random random, ResourceDescriptor resource, JsonObject schema, int index, string pool)
    {
        var spec = fuzzer.Value(schema["properties"]!["spec"]!.AsObject(), "spec") as JsonObject ?? [];
        if (resource == ResourceDescriptor.Workloads)
        {
            // Most go to the GPU-less fuzz pool (their workers reach the allocator, never a GPU); some name no pool at all.
            spec["poolName"] = random.Next(10) == 0 ? "no-such-pool" : pool;
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
