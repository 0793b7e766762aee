using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>Worker pods as the workload reconciler writes them: our scheduler, the workload label, per-GPU resource annotations.</summary>
internal static class WorkerPods
{
    public static V1Pod Pending(
        string name, double tflops, string vram, string qos = "medium", string pool = "pool", string ns = "team",
        Dictionary<string, string>? extra = null)
    {
        var annotations = new Dictionary<string, string>
        {
            [Annotations.GpuPool] = pool,
            [Annotations.TflopsRequest] = tflops.ToString(CultureInfo.InvariantCulture),
            [Annotations.TflopsLimit] = tflops.ToString(CultureInfo.InvariantCulture),
            [Annotations.VramRequest] = vram,
            [Annotations.VramLimit] = vram,
            [Annotations.Qos] = qos,
        };
        foreach (var (key, value) in extra ?? [])
        {
            annotations[key] = value;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [Labels.Workload] = name.Split('-')[0] },
                Annotations = annotations,
            },
            Spec = new V1PodSpec { SchedulerName = WorkerRequestMapper.SchedulerName, Containers = [] },
        };
    }

    /// <summary>The pod with its metadata.uid set (pods from the API server always carry one).</summary>
    public static V1Pod WithUid(this V1Pod pod, string uid)
    {
        pod.Metadata.Uid = uid;
        return pod;
    }
}
