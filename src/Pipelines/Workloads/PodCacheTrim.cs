using k8s.Models;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// What the operator keeps of a cached pod: all metadata (less managedFields), <c>spec.schedulerName</c> and
/// <c>spec.nodeName</c>, the required node affinity, and <c>status.phase</c>, conditions, reason, message and podIP (a worker's connection URL). Containers, volumes, other affinity and
/// container statuses are most of a pod's size and nothing in the operator reads them (the reconciler compares the
/// template hash label, the allocator reads annotations). Whoever starts reading another pod field adds it here;
/// the operator never writes a cached pod back, so nothing dropped here can be lost.
/// </summary>
public static class PodCacheTrim
{
    public static void Apply(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Spec is { } spec)
        {
            // The required node affinity stays: the allocator reads a worker's placement constraints from the worker.
            pod.Spec = new V1PodSpec
            {
                SchedulerName = spec.SchedulerName,
                NodeName = spec.NodeName,
                Containers = [],
                Affinity = spec.Affinity?.NodeAffinity is { } nodeAffinity ? new V1Affinity { NodeAffinity = nodeAffinity } : null,
            };
        }

        if (pod.Status is { } status)
        {
            pod.Status = new V1PodStatus { Phase = status.Phase, Conditions = status.Conditions, Reason = status.Reason, Message = status.Message, PodIP = status.PodIP };
        }
    }
}
