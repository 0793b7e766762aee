using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Schema;
using TensorFusion.LocalCluster;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Host.Local;

/// <summary>
/// Installs what a fresh local cluster needs before the engine starts: our CRDs (generated from the C# types, so a newer
/// binary upgrades the schemas of an existing state directory) and the default GPUPool with its
/// SchedulingConfigTemplate. Objects the user changed are left alone; only CRDs are rewritten.
/// </summary>
public static class LocalClusterBootstrap
{
    public const string DefaultPoolName = "default-pool";
    public const string DefaultTemplateName = "default-scheduling";

    public static async Task InstallCrdsAsync(LocalApiServer server, IProgress<string> progress)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(progress);
        var crds = server.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")
            ?? throw new InvalidOperationException("the embedded API server does not serve CustomResourceDefinitions");
        var installed = 0;
        foreach (var kind in ApiKinds.All)
        {
            var crd = CrdGenerator.Generate(kind);
            var name = crd["metadata"]!["name"]!.GetValue<string>();
            if (server.Store.Get(crds.StorageId, string.Empty, name) is null)
            {
                await server.Operations.CreateAsync(crds, string.Empty, crd, new WriteOptions());
            }
            else
            {
                await server.Operations.PatchAsync(
                    crds, string.Empty, name, "application/merge-patch+json", new JsonObject { ["spec"] = crd["spec"]!.DeepClone() }, null, new WriteOptions());
            }

            installed++;
        }

        progress.Report($"installed {installed} CustomResourceDefinitions ({TensorFusionApi.ApiVersion})");
    }

    public static async Task CreateDefaultPoolAsync(LocalApiServer server, string gpuModel, IProgress<string> progress)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(progress);
        var templates = server.Registry.Find(TensorFusionApi.Group, TensorFusionApi.Version, "schedulingconfigtemplates")!;
        if (server.Store.Get(templates.StorageId, string.Empty, DefaultTemplateName) is null)
        {
            await server.Operations.CreateAsync(templates, string.Empty, JsonNode.Parse($$"""
                {
                  "apiVersion": "{{TensorFusionApi.ApiVersion}}",
                  "kind": "SchedulingConfigTemplate",
                  "metadata": { "name": "{{DefaultTemplateName}}" },
                  "spec": { "placement": { "mode": "CompactFirst" } }
                }
                """)!.AsObject(), new WriteOptions());
        }

        var pools = server.Registry.Find(TensorFusionApi.Group, TensorFusionApi.Version, "gpupools")!;
        if (server.Store.Get(pools.StorageId, string.Empty, DefaultPoolName) is not null)
        {
            return;
        }

        await server.Operations.CreateAsync(pools, string.Empty, JsonNode.Parse($$"""
            {
              "apiVersion": "{{TensorFusionApi.ApiVersion}}",
              "kind": "GPUPool",
              "metadata": { "name": "{{DefaultPoolName}}", "annotations": { "tensor-fusion.ai/is-default-pool": "true" } },
              "spec": {
                "capacityConfig": {
                  "oversubscription": { "tflopsOversellRatio": 500, "vramExpandToHostMem": 50, "vramExpandToHostDisk": 70 }
                },
                "nodeManagerConfig": {
                  "nodeSelector": { "nodeSelectorTerms": [ { "matchExpressions": [ { "key": "nvidia.com/gpu.present", "operator": "In", "values": ["true"] } ] } ] }
                },
                "schedulingConfigTemplate": "{{DefaultTemplateName}}"
              }
            }
            """)!.AsObject(), new WriteOptions());
        progress.Report($"created GPUPool {DefaultPoolName} ({gpuModel} nodes) with SchedulingConfigTemplate {DefaultTemplateName}");
    }

    /// <summary>
    /// Points the pod MutatingWebhookConfiguration at the operator's loopback webhook (the embedded API server has no
    /// Service network, so it names a URL). Created, or replaced on a restart, as the admin; the operator then only
    /// keeps its caBundle current, as it does in a cluster. Until it has, GPU pods are refused (failurePolicy Fail) and
    /// every other pod is admitted.
    /// </summary>
    public static async Task EnsurePodWebhookAsync(LocalApiServer server, Uri url, string operatorNamespace, IProgress<string> progress)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(progress);
        var configurations = server.Registry.Find("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations")!;
        var desired = PodWebhookConfiguration.Build(url, operatorNamespace);
        if (server.Store.Get(configurations.StorageId, string.Empty, PodWebhookConfiguration.Name) is { } existing)
        {
            desired["metadata"]!["resourceVersion"] = existing.Value["metadata"]?["resourceVersion"]?.DeepClone();
            await server.Operations.UpdateAsync(configurations, string.Empty, PodWebhookConfiguration.Name, desired, null, new WriteOptions());
        }
        else
        {
            await server.Operations.CreateAsync(configurations, string.Empty, desired, new WriteOptions());
        }

        progress.Report($"pod admission webhook {PodWebhookConfiguration.Name} calls {url} for pods labelled tensor-fusion.ai/enabled=true");
    }
}
