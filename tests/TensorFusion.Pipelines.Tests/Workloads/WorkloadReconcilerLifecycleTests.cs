using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Workloads;
using static TensorFusion.Pipelines.Tests.Workloads.WorkloadReconcilerHarness;

namespace TensorFusion.Pipelines.Tests.Workloads;

/// <summary>
/// The workload reconciler around the workers: finalizer, the default pool, problems the user can fix, quarantined
/// objects and deletion, one pass at a time over in-memory objects.
/// </summary>
public sealed class WorkloadReconcilerLifecycleTests
{
    private const string WorkloadPath = "/apis/tensor-fusion.ai/v1/namespaces/team/tensorfusionworkloads/llm";

    [Fact]
    public async Task ReconcileAsync_NoFinalizer_AddsItGuardedByResourceVersionAndStops()
    {
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", Workload("llm", replicas: 2, finalizer: false)).With("gpupools", Pool());

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var patch = Assert.Single(writes);
        Assert.Equal(("PATCH", WorkloadPath), (patch.Method, patch.Path));
        Assert.Equal("7", (string?)patch.Body!["metadata"]!["resourceVersion"]);
        Assert.Equal(Finalizers.TensorFusion, (string?)Assert.Single(patch.Body["metadata"]!["finalizers"]!.AsArray()));
    }

    [Fact]
    public async Task ReconcileAsync_NoPoolNamedAndADefaultPool_RecordsThePoolInSpecOnly()
    {
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", Workload("llm", replicas: 2, pool: null))
            .With("gpupools", Pool("other")).With("gpupools", Pool("fallback", isDefault: true));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var patch = Assert.Single(writes);
        Assert.Equal(("PATCH", WorkloadPath, "fallback", "7"), (patch.Method, patch.Path, (string?)patch.Body!["spec"]!["poolName"], (string?)patch.Body["metadata"]!["resourceVersion"]));
    }

    [Fact]
    public async Task ReconcileAsync_PoolMissing_ReadyFalseAndWarningWithoutWorkers()
    {
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", Workload("llm", replicas: 2, pool: "nope")).With("gpupools", Pool());

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var @event = Assert.Single(writes, write => write.Path == "/api/v1/namespaces/team/events").Body!;
        Assert.Equal((EventRecorder.Warning, ConditionReasons.PoolNotFound), ((string?)@event["type"], (string?)@event["reason"]));
        var status = Assert.Single(writes, write => write.Path == WorkloadPath + "/status").Body!["status"]!;
        var ready = Assert.Single(status["conditions"]!.AsArray())!;
        Assert.Equal(("Pending", "False", ConditionReasons.PoolNotFound), ((string?)status["phase"], (string?)ready["status"], (string?)ready["reason"]));
        Assert.Contains("GPU pool \"nope\" (spec.poolName) does not exist", (string?)ready["message"], StringComparison.Ordinal);
        Assert.Equal(2, writes.Count);
    }

    [Fact]
    public async Task ReconcileAsync_QuarantinedWorkload_WritesNothing()
    {
        // replicas "three" does not decode: the informer quarantines the object under its key and the quarantine
        // controller (not this reconciler) states why; its workers stay as they are until a valid spec arrives.
        var workload = Workload("llm", replicas: 2);
        var api = new InMemoryKubeApi().WithJson("tensorfusionworkloads", Undecodable(workload)).With("gpupools", Pool())
            .With("pods", Worker(workload, 0, ready: true));

        var (result, writes, quarantined) = await ReconcileAsync(api, "llm");

        Assert.Equal("team/llm", Assert.Single(quarantined));
        Assert.Empty(writes);
        Assert.Equal(ReconcileResult.Done, result);
    }

    [Fact]
    public async Task ReconcileAsync_QuarantinedWorkloadDeletingWithoutWorkers_RemovesTheFinalizerFromStoredMetadata()
    {
        // Deleting is always enough, even for an object whose spec never decoded: the finalizer is read from the stored
        // metadata and removed, guarded by the stored resourceVersion.
        var api = new InMemoryKubeApi().WithJson("tensorfusionworkloads", Undecodable(Deleting(Workload("llm", replicas: 2)))).With("gpupools", Pool());

        var (_, writes, quarantined) = await ReconcileAsync(api, "llm");

        Assert.Equal("team/llm", Assert.Single(quarantined));
        var patch = Assert.Single(writes);
        Assert.Equal(("PATCH", WorkloadPath, "7"), (patch.Method, patch.Path, (string?)patch.Body!["metadata"]!["resourceVersion"]));
        Assert.Empty(patch.Body["metadata"]!["finalizers"]!.AsArray());
    }

    [Fact]
    public async Task ReconcileAsync_DeletingWithWorkers_DeletesThemAndKeepsTheFinalizer()
    {
        var workload = Deleting(Workload("llm", replicas: 2));
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool())
            .With("pods", Worker(workload, 0, ready: true)).With("pods", Worker(workload, 1, ready: false));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        // The pod deletions come back as events; the finalizer goes on the pass that finds no worker left.
        Assert.All(writes, write => Assert.Equal("DELETE", write.Method));
        Assert.Equal(
            [.. Enumerable.Range(0, 2).Select(index => $"uid-{WorkerPodFactory.FixedWorkerName("llm", Hash(workload), index)}")],
            writes.Select(write => (string?)write.Body!["preconditions"]!["uid"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReconcileAsync_DeletingWithoutWorkers_RemovesOnlyOurFinalizer()
    {
        var workload = Deleting(Workload("llm", replicas: 2));
        workload.Metadata.Finalizers = ["example.com/keep", Finalizers.TensorFusion];
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool());

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var patch = Assert.Single(writes);
        Assert.Equal(("PATCH", WorkloadPath), (patch.Method, patch.Path));
        Assert.Equal(["example.com/keep"], patch.Body!["metadata"]!["finalizers"]!.AsArray().Select(node => (string?)node));
    }

    /// <summary>The workload as stored, with spec.replicas "three", which does not decode into an integer.</summary>
    private static JsonNode Undecodable(TensorFusionWorkload workload)
    {
        var stored = JsonSerializer.SerializeToNode(workload, TensorFusionJson.Options)!;
        stored["spec"]!["replicas"] = "three";
        return stored;
    }

    private static TensorFusionWorkload Deleting(TensorFusionWorkload workload)
    {
        workload.Metadata.DeletionTimestamp = Now.AddSeconds(-5).UtcDateTime;
        return workload;
    }
}
