using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// The webhook's cluster access over the Kubernetes REST API. Reads are live (not cached): a pod created right after
/// its pool or profile must see them, and admission is rare next to the informers' traffic.
/// </summary>
public sealed class RestAdmissionCluster(KubeRestClient client, GpuModelCatalog catalog) : IAdmissionCluster
{
    private const string Base = "/apis/" + TensorFusionApi.Group + "/" + TensorFusionApi.Version;

    /// <summary>Built-in controller kinds whose own controller is looked up; any other kind is taken as the root.</summary>
    private static readonly Dictionary<string, string> ControllerPaths = new(StringComparer.Ordinal)
    {
        ["ReplicaSet"] = "/apis/apps/v1/namespaces/{0}/replicasets/{1}",
        ["Job"] = "/apis/batch/v1/namespaces/{0}/jobs/{1}",
    };

    public async Task<AdmissionLookups> LoadLookupsAsync(string ns, CancellationToken cancellationToken)
    {
        var pools = await client.GetAsync<GpuPoolList>(Base + "/gpupools", cancellationToken);
        var profiles = await client.GetAsync<WorkloadProfileList>($"{Base}/namespaces/{ns}/workloadprofiles", cancellationToken);
        var quotas = await client.GetAsync<GpuResourceQuotaList>($"{Base}/namespaces/{ns}/gpuresourcequotas", cancellationToken);
        var templates = await client.GetAsync<SchedulingConfigTemplateList>(Base + "/schedulingconfigtemplates", cancellationToken);
        return new AdmissionLookups(
            (pools.Items ?? []).ToList(),
            (profiles.Items ?? []).ToDictionary(profile => profile.Metadata.Name, StringComparer.Ordinal),
            // Upstream reads the first quota of the namespace (by convention named after it).
            (quotas.Items ?? []).OrderBy(quota => quota.Metadata.Name == ns ? 0 : 1).ThenBy(quota => quota.Metadata.Name, StringComparer.Ordinal).FirstOrDefault(),
            (templates.Items ?? []).ToDictionary(template => template.Metadata.Name, StringComparer.Ordinal),
            catalog);
    }

    public async Task<V1OwnerReference?> RootControllerAsync(string ns, V1OwnerReference? controller, CancellationToken cancellationToken)
    {
        var current = controller;
        for (var depth = 0; current is not null && depth < 8 && ControllerPaths.TryGetValue(current.Kind, out var template); depth++)
        {
            var owner = await client.TryGetAsync<JsonObject>(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, ns, current.Name), cancellationToken);
            var next = owner?["metadata"]?["ownerReferences"]?.Deserialize<List<V1OwnerReference>>(TensorFusionJson.Options)?
                .FirstOrDefault(reference => reference.Controller == true);
            if (next is null)
            {
                break;
            }

            current = next;
        }

        return current;
    }

    public async Task<TensorFusionWorkload> UpsertWorkloadAsync(TensorFusionWorkload workload, CancellationToken cancellationToken)
    {
        var ns = workload.Metadata.NamespaceProperty;
        var collection = $"{Base}/namespaces/{ns}/tensorfusionworkloads";
        for (var attempt = 0; ; attempt++)
        {
            var existing = await client.TryGetAsync<TensorFusionWorkload>($"{collection}/{workload.Metadata.Name}", cancellationToken);
            try
            {
                if (existing is null)
                {
                    return await client.CreateAsync(collection, workload, cancellationToken);
                }

                // The latest pod's annotations define the spec (as upstream); labels and annotations are added, not replaced.
                var patch = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["resourceVersion"] = existing.Metadata.ResourceVersion,
                        ["labels"] = JsonSerializer.SerializeToNode(workload.Metadata.Labels, TensorFusionJson.Options),
                        ["annotations"] = JsonSerializer.SerializeToNode(workload.Metadata.Annotations, TensorFusionJson.Options),
                    },
                    ["spec"] = JsonSerializer.SerializeToNode(workload.Spec, TensorFusionJson.Options),
                };
                return await client.MergePatchAsync<TensorFusionWorkload>($"{collection}/{workload.Metadata.Name}", patch, cancellationToken);
            }
            catch (ApiStatusException exception) when ((exception.IsConflict || exception.StatusCode == System.Net.HttpStatusCode.Conflict) && attempt < 4)
            {
                // Replicas of one Deployment are admitted concurrently: another pod created or changed the workload; read it again.
            }
        }
    }
}
