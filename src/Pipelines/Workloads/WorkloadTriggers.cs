using System.Reactive.Linq;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Informers;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// Maps cache changes to workload keys (Rx: only the key matters, the queue collapses repeats): the workload itself,
/// pods labelled with it, pools it names, profiles it references and GPU nodes of its pool.
/// </summary>
public static class WorkloadTriggers
{
    public static IObservable<string> Keys(WorkloadCaches caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        var workloads = caches.Workloads.Changes.Select(change => ObjectKeys.Of(change.Current));
        var pods = caches.Pods.Changes
            .Select(change => (change.Current.Metadata.NamespaceProperty, Workload: change.Current.Metadata.Label(Labels.Workload)))
            .Where(pair => !string.IsNullOrEmpty(pair.Workload))
            .Select(pair => ObjectKeys.Of(pair.NamespaceProperty, pair.Workload!));
        // Pool status moves with every allocation batch; only a pool appearing, going or changing its spec (the
        // worker template is in the pod template hash) concerns the workloads, and each such change touches them all.
        // A pool becoming (or ceasing to be) the default concerns the workloads that name no pool.
        var pools = caches.Pools.Changes.Where(change => change.Type != ChangeType.Modified
                || change.Previous?.Metadata.Generation != change.Current.Metadata.Generation
                || (change.Previous is { } previous && Admission.DefaultPool.IsDefault(previous) != Admission.DefaultPool.IsDefault(change.Current)))
            .SelectMany(change => caches.Workloads.List(workload => workload.Spec.PoolName == change.Current.Metadata.Name
                || string.IsNullOrEmpty(workload.Spec.PoolName)).Select(ObjectKeys.Of));
        var profiles = caches.Profiles.Changes.SelectMany(change =>
            caches.Workloads.List(workload => workload.Metadata.NamespaceProperty == change.Current.Metadata.NamespaceProperty
                && workload.Metadata.Annotation(Annotations.WorkloadProfile) == change.Current.Metadata.Name).Select(ObjectKeys.Of));
        // A node joining or growing can heal "gpuCount larger than any node" for the workloads of its pool.
        // Only a change of a node's GPU count or pool can change that answer (its status also moves with every
        // allocation), and only for workloads that want more than one GPU per worker.
        var nodes = caches.GpuNodes is null ? Observable.Empty<string>() : caches.GpuNodes.Changes
            .Where(change => change.Type != ChangeType.Modified
                || change.Previous?.Status?.TotalGpus != change.Current.Status?.TotalGpus
                || change.Previous?.Metadata.Label(Labels.GpuPool) != change.Current.Metadata.Label(Labels.GpuPool))
            .SelectMany(change => caches.Workloads.List(workload => workload.Spec.GpuCount > 1
                && (workload.Spec.PoolName == change.Current.Metadata.Label(Labels.GpuPool) || workload.Spec.PoolName == change.Previous?.Metadata.Label(Labels.GpuPool)))
                .Select(ObjectKeys.Of));
        // A connection changing (created, its status written, deleted) is reconciled with its workload.
        var connections = caches.Connections is null ? Observable.Empty<string>() : caches.Connections.Changes
            .Where(change => !string.IsNullOrEmpty(change.Current.Spec.WorkloadName))
            .Select(change => ObjectKeys.Of(change.Current.Metadata.NamespaceProperty, change.Current.Spec.WorkloadName!));
        return Observable.Merge(workloads, pods, pools, profiles, nodes, connections);
    }
}
