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
        var pools = caches.Pools.Changes.SelectMany(change =>
            caches.Workloads.List(workload => workload.Spec.PoolName == change.Current.Metadata.Name).Select(ObjectKeys.Of));
        var profiles = caches.Profiles.Changes.SelectMany(change =>
            caches.Workloads.List(workload => workload.Metadata.NamespaceProperty == change.Current.Metadata.NamespaceProperty
                && workload.Metadata.Annotation(Annotations.WorkloadProfile) == change.Current.Metadata.Name).Select(ObjectKeys.Of));
        // A node joining or growing can heal "gpuCount larger than any node" for the workloads of its pool.
        var nodes = caches.GpuNodes is null ? Observable.Empty<string>() : caches.GpuNodes.Changes.SelectMany(change =>
            caches.Workloads.List(workload => workload.Spec.PoolName == change.Current.Metadata.Label(Labels.GpuPool)).Select(ObjectKeys.Of));
        return Observable.Merge(workloads, pods, pools, profiles, nodes);
    }
}
