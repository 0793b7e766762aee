using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusionWorkload = TensorFusion.Api.Workloads.TensorFusionWorkload;
using TensorFusion.Gpu.Requests;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Simulation;

/// <summary>
/// Stands in for the workload reconciler: one bare worker pod per replica (<c>name-0</c>, <c>name-1</c>, …) carrying the
/// workload label and the pool, stamped with the workload's needs as the reconciler stamps its workers and mapped by the
/// operator's own <see cref="WorkerRequestMapper"/>, so a what-if run reads resources, QoS, isolation, affinity and eviction protection exactly as the operator does.
/// </summary>
public static class SimulatedWorkers
{
    public static IReadOnlyList<AllocationRequest> ToRequests(TensorFusionWorkload workload, string pool, QosLevel? poolDefaultQos, List<string> errors)
    {
        var (ns, name) = ObjectKey.Of(workload.Metadata);
        var requests = new List<AllocationRequest>();
        for (var replica = 0; replica < (workload.Spec.Replicas ?? 1); replica++)
        {
            var pod = new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"{name}-{replica}",
                    NamespaceProperty = ns,
                    Labels = new Dictionary<string, string> { [Labels.Workload] = name },
                    Annotations = new Dictionary<string, string> { [Annotations.GpuPool] = pool },
                },
            };
            var mapping = WorkerRequestMapper.Map(WorkloadAnnotationDefaults.StampOnto(pod, workload), _ => poolDefaultQos);
            if (mapping.Request is null)
            {
                // Every replica maps alike: one error per workload is enough.
                errors.Add($"TensorFusionWorkload {ObjectKey.Of(workload.Metadata)}: {mapping.Error}");
                return [];
            }

            requests.Add(mapping.Request);
        }

        return requests;
    }
}
