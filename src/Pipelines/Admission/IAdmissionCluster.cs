using k8s.Models;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Admission;

/// <summary>The cluster reads and the one write the pod webhook needs; the REST implementation talks to the API server.</summary>
public interface IAdmissionCluster
{
    Task<AdmissionLookups> LoadLookupsAsync(string ns, CancellationToken cancellationToken);

    /// <summary>The top of the pod's controller chain (ReplicaSet → Deployment, Job → CronJob), or null for a bare pod.</summary>
    Task<V1OwnerReference?> RootControllerAsync(string ns, V1OwnerReference? controller, CancellationToken cancellationToken);

    /// <summary>Creates the workload, or patches an existing one's spec and pool label; returns it as stored.</summary>
    Task<TensorFusionWorkload> UpsertWorkloadAsync(TensorFusionWorkload workload, CancellationToken cancellationToken);
}
