using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Status;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

/// <summary>
/// Runs one <see cref="WorkloadReconciler"/> pass over objects held by an <see cref="InMemoryKubeApi"/>: the real
/// informers list them into the caches the operator builds, the reconciler runs once on a fake clock, and the writes it
/// sent come back. Objects live in namespace <c>team</c>; the workload's pool is <c>shared</c>.
/// </summary>
internal static class WorkloadReconcilerHarness
{
    public const string Namespace = "team";
    public const string PoolName = "shared";
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(10);

    public static TensorFusionWorkload Workload(string name, int? replicas, string? pool = PoolName, bool finalizer = true) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Namespace,
            Uid = $"uid-{name}",
            ResourceVersion = "7",
            Generation = 2,
            Finalizers = finalizer ? [Finalizers.TensorFusion] : null,
        },
        Spec = new WorkloadProfileSpec { Replicas = replicas, PoolName = pool },
    };

    public static GpuPool Pool(string name = PoolName, bool isDefault = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { [Annotations.IsDefaultPool] = "true" } : null,
        },
    };

    /// <summary>The hash the reconciler gives the workload's current workers.</summary>
    public static string Hash(TensorFusionWorkload workload) => PodTemplateHash.Compute(Pool(workload.Spec.PoolName ?? PoolName), workload.Spec);

    /// <summary>A fixed-replica worker at <paramref name="index"/>, created <paramref name="index"/> minutes before noon.</summary>
    public static V1Pod Worker(TensorFusionWorkload workload, int index, bool ready, string? hash = null, string phase = "Running") =>
        WorkerPod(
            workload,
            WorkerPodFactory.FixedWorkerName(workload.Metadata.Name, hash ?? Hash(workload), index),
            new Dictionary<string, string>
            {
                [WorkerPods.IndexLabel] = index.ToString(CultureInfo.InvariantCulture),
                [Labels.PodTemplateHash] = hash ?? Hash(workload),
            },
            ready,
            phase,
            Now.AddMinutes(index - 10));

    /// <summary>A dynamic-mode worker serving the client pod <paramref name="clientPod"/>.</summary>
    public static V1Pod DynamicWorker(TensorFusionWorkload workload, string clientPod) =>
        WorkerPod(
            workload,
            WorkerPodFactory.DynamicWorkerName(clientPod),
            new Dictionary<string, string> { [WorkerPods.ClientPodLabel] = clientPod, [Labels.PodTemplateHash] = Hash(workload) },
            ready: true,
            "Running",
            Now.AddMinutes(-10));

    /// <summary>A client pod of the workload (labelled with it, not a worker).</summary>
    public static V1Pod ClientPod(TensorFusionWorkload workload, string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Namespace,
            Uid = $"uid-{name}",
            Labels = new Dictionary<string, string> { [Labels.Workload] = workload.Metadata.Name, [Labels.Component] = ComponentValues.Client },
        },
    };

    /// <summary>
    /// One reconcile of <c>team/<paramref name="workload"/></c>: its result, every write it sent, and the workload keys the
    /// cache quarantined (stored objects that did not decode).
    /// </summary>
    public static async Task<(ReconcileResult Result, IReadOnlyList<KubeWrite> Writes, IReadOnlyList<string> Quarantined)> ReconcileAsync(InMemoryKubeApi api, string workload)
    {
        var time = new FakeTimeProvider(Now);
        using var http = new HttpClient(api);
        var client = new KubeRestClient(http, new Uri("http://in-memory/"));
        using var workloads = new Informer<TensorFusionWorkload>(client, ResourceDescriptor.Workloads, new InformerOptions(), time, new Random(1));
        using var pools = new Informer<GpuPool>(client, ResourceDescriptor.GpuPools, new InformerOptions(), time, new Random(2));
        using var pods = new Informer<V1Pod>(client, ResourceDescriptor.Pods, new InformerOptions(), time, new Random(3));
        using var profiles = new Informer<WorkloadProfile>(client, ResourceDescriptor.WorkloadProfiles, new InformerOptions(), time, new Random(4));
        var caches = new WorkloadCaches(workloads, pools, pods, profiles);
        caches.IndexPods();

        using var stop = new CancellationTokenSource();
        IInformer[] informers = [workloads, pools, pods, profiles];
        var running = informers.Select(informer => informer.RunAsync(stop.Token)).ToArray();
        try
        {
            await Task.WhenAll(informers.Select(informer => informer.WaitForSyncAsync(stop.Token))).WaitAsync(SyncWait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the informers did not list the in-memory objects within {SyncWait.TotalSeconds} s");
        }

        var reconciler = new WorkloadReconciler(caches, client, new StatusPatcher(client, time), new EventRecorder(client, time), time);
        var result = await reconciler.ReconcileAsync(ObjectKeys.Of(Namespace, workload), CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(running);
        return (result, api.Writes, [.. workloads.ListInvalid().Select(invalid => invalid.Key)]);
    }

    private static V1Pod WorkerPod(TensorFusionWorkload workload, string name, Dictionary<string, string> labels, bool ready, string phase, DateTimeOffset created)
    {
        labels[Labels.Workload] = workload.Metadata.Name;
        labels[Labels.Component] = ComponentValues.Worker;
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Uid = $"uid-{name}", Labels = labels, CreationTimestamp = created.UtcDateTime },
            Status = new V1PodStatus
            {
                Phase = phase,
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            },
        };
    }
}
