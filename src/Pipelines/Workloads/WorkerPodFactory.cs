using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// Builds worker pods: the pool's worker template with the workload's workerPodTemplate merged on top, owned by the
/// workload, labelled with workload, hash and component, scheduled by tensor-fusion-scheduler and tolerating the
/// used-by taint. Names are deterministic, so a create repeated on a stale cache answers 409 instead of a duplicate.
/// </summary>
public static class WorkerPodFactory
{
    public const string SchedulerName = "tensor-fusion-scheduler";

    public static string FixedWorkerName(string workload, string hash, int index) =>
        $"{workload}-tf-worker-{hash[..Math.Min(10, hash.Length)]}-{index.ToString(CultureInfo.InvariantCulture)}";

    public static string DynamicWorkerName(string clientPod) => $"{clientPod}-tf-worker";

    public static V1Pod Create(TensorFusionWorkload workload, GpuPool pool, string hash, string name, IReadOnlyDictionary<string, string> extraLabels)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(extraLabels);
        var basis = JsonSerializer.SerializeToNode(pool.Spec?.ComponentConfig?.Worker?.PodTemplate ?? new V1PodTemplateSpec(), TensorFusionJson.Options);
        var overlay = workload.Spec.WorkerPodTemplate is null ? null : JsonSerializer.SerializeToNode(workload.Spec.WorkerPodTemplate, TensorFusionJson.Options);
        var merged = PodTemplateMerge.Merge(basis, overlay) ?? new JsonObject();
        var template = merged.Deserialize<V1PodTemplateSpec>(TensorFusionJson.Options) ?? new V1PodTemplateSpec();
        var spec = template.Spec ?? new V1PodSpec { Containers = [] };
        spec.Containers ??= [];
        if (spec.Containers.Count == 0)
        {
            spec.Containers.Add(new V1Container { Name = "worker", Image = pool.Spec?.ComponentConfig?.Worker?.Image ?? "tensorfusion/worker" });
        }

        spec.SchedulerName = SchedulerName;
        spec.EnableServiceLinks = false;
        spec.Tolerations ??= [];
        if (!spec.Tolerations.Any(t => t.Key == Taints.UsedBy))
        {
            spec.Tolerations.Add(new V1Toleration { Key = Taints.UsedBy, OperatorProperty = "Equal", Value = Taints.UsedByValue, Effect = Taints.UsedByEffect });
        }

        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [Labels.Workload] = workload.Metadata.Name,
            [Labels.PodTemplateHash] = hash,
            [Labels.Component] = ComponentValues.Worker,
            [Labels.GpuPool] = pool.Metadata.Name,
        };
        foreach (var (key, value) in extraLabels)
        {
            labels[key] = value;
        }

        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = workload.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = workload.ApiVersion,
                        Kind = workload.Kind,
                        Name = workload.Metadata.Name,
                        Uid = workload.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = spec,
        };

        // What the worker needs travels on the worker: the allocator never reads back into the workload.
        return WorkloadAnnotationDefaults.StampOnto(pod, workload);
    }
}
