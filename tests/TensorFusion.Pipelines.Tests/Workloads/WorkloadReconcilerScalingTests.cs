using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Workloads;
using static TensorFusion.Pipelines.Tests.Workloads.WorkloadReconcilerHarness;

namespace TensorFusion.Pipelines.Tests.Workloads;

/// <summary>
/// The workload reconciler's worker count and status, one pass at a time over in-memory objects (the integration tests
/// cover the same reconciler against the embedded API server).
/// </summary>
public sealed class WorkloadReconcilerScalingTests
{
    private const string PodsPath = "/api/v1/namespaces/team/pods";
    private const string StatusPath = "/apis/tensor-fusion.ai/v1/namespaces/team/tensorfusionworkloads/llm/status";

    [Fact]
    public async Task ReconcileAsync_FixedReplicasThreeNoWorkers_CreatesIndicesZeroToTwoAndWaits()
    {
        var workload = Workload("llm", replicas: 3);
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool());

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var hash = Hash(workload);
        var created = writes.Where(write => write is { Method: "POST", Path: PodsPath }).ToList();
        Assert.Equal([.. Enumerable.Range(0, 3).Select(index => WorkerPodFactory.FixedWorkerName("llm", hash, index))], created.Select(write => write.Name));
        Assert.All(created, write => Assert.Equal(hash, (string?)write.Body!["metadata"]!["labels"]![Labels.PodTemplateHash]));
        Assert.Equal(["0", "1", "2"], created.Select(write => (string?)write.Body!["metadata"]!["labels"]![WorkerPods.IndexLabel]));
        Assert.Equal(3, writes.Count(write => write.Path == "/api/v1/namespaces/team/events" && (string?)write.Body!["reason"] == WorkloadEventReasons.CreatedWorker));
        // Status counts the workers the pass started from: 0 of 3 ready.
        var status = Assert.Single(writes, write => write.Path == StatusPath).Body!["status"]!;
        Assert.Equal(("Pending", 0, 0), ((string?)status["phase"], (int?)status["workerCount"], (int?)status["readyWorkers"]));
        AssertReady(status, "False", ConditionReasons.WaitingForWorkers, "Ready replicas: 0/3");
    }

    [Fact]
    public async Task ReconcileAsync_FixedReplicasOneOfThreeReady_DeletesTheTwoNewest()
    {
        // Indices 0, 1, 2 were created 10, 9 and 8 minutes before noon; with all ready, the newest go first: 2, then 1.
        var workload = Workload("llm", replicas: 1);
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool())
            .With("pods", Worker(workload, 0, ready: true)).With("pods", Worker(workload, 1, ready: true)).With("pods", Worker(workload, 2, ready: true));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var hash = Hash(workload);
        var deleted = writes.Where(write => write.Method == "DELETE").ToList();
        Assert.Equal([$"{PodsPath}/{WorkerPodFactory.FixedWorkerName("llm", hash, 2)}", $"{PodsPath}/{WorkerPodFactory.FixedWorkerName("llm", hash, 1)}"], deleted.Select(write => write.Path));
        Assert.Equal($"uid-{WorkerPodFactory.FixedWorkerName("llm", hash, 2)}", (string?)deleted[0].Body!["preconditions"]!["uid"]);
        Assert.DoesNotContain(writes, write => write is { Method: "POST", Path: PodsPath });
    }

    [Fact]
    public async Task ReconcileAsync_FixedReplicasAllReady_RunningWithoutPodWrites()
    {
        var workload = Workload("llm", replicas: 2);
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool())
            .With("pods", Worker(workload, 0, ready: true)).With("pods", Worker(workload, 1, ready: true));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var status = Assert.Single(writes).Body!["status"]!;
        Assert.Equal(("Running", 2, 2, 2L), ((string?)status["phase"], (int?)status["workerCount"], (int?)status["readyWorkers"], (long?)status["observedGeneration"]));
        AssertReady(status, "True", ConditionReasons.WorkloadReady, "All workers are ready");
    }

    [Fact]
    public async Task ReconcileAsync_OneWorkerFailed_PhaseFailedNamingTheCount()
    {
        var workload = Workload("llm", replicas: 2);
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool())
            .With("pods", Worker(workload, 0, ready: true)).With("pods", Worker(workload, 1, ready: false, phase: "Failed"));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var status = Assert.Single(writes, write => write.Path == StatusPath).Body!["status"]!;
        Assert.Equal(("Failed", 2, 1), ((string?)status["phase"], (int?)status["workerCount"], (int?)status["readyWorkers"]));
        AssertReady(status, "False", ConditionReasons.WorkerFailed, "Failed workers num: 1");
    }

    [Fact]
    public async Task ReconcileAsync_OutdatedReadyWorker_SurgesBeforeDeletingIt()
    {
        // One ready worker of an older spec and replicas 1: the new index 0 is created first; the old one stays while it
        // is the only ready worker (floor min(1, 0 new + 1 old) = 1, the new cover 0, so 1 old stays).
        var workload = Workload("llm", replicas: 1);
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool())
            .With("pods", Worker(workload, 0, ready: true, hash: "0123456789abcdef"));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        Assert.Equal(WorkerPodFactory.FixedWorkerName("llm", Hash(workload), 0), Assert.Single(writes, write => write is { Method: "POST", Path: PodsPath }).Name);
        Assert.DoesNotContain(writes, write => write.Method == "DELETE");
    }

    [Fact]
    public async Task ReconcileAsync_DynamicReplicas_OneWorkerPerClientAndOrphansGo()
    {
        // No spec.replicas: client pods a and b each get a worker; a already has one, b gets one, and the worker of the
        // departed client c is deleted. Desired = 2 clients; dynamic replicas are Running as soon as they exist.
        var workload = Workload("llm", replicas: null);
        var api = new InMemoryKubeApi().With("tensorfusionworkloads", workload).With("gpupools", Pool())
            .With("pods", ClientPod(workload, "a")).With("pods", ClientPod(workload, "b"))
            .With("pods", DynamicWorker(workload, "a")).With("pods", DynamicWorker(workload, "c"));

        var (_, writes, _) = await ReconcileAsync(api, "llm");

        var created = Assert.Single(writes, write => write is { Method: "POST", Path: PodsPath });
        Assert.Equal((WorkerPodFactory.DynamicWorkerName("b"), "b"), (created.Name, (string?)created.Body!["metadata"]!["labels"]![WorkerPods.ClientPodLabel]));
        Assert.Equal($"{PodsPath}/{WorkerPodFactory.DynamicWorkerName("c")}", Assert.Single(writes, write => write.Method == "DELETE").Path);
        var status = Assert.Single(writes, write => write.Path == StatusPath).Body!["status"]!;
        Assert.Equal(("Running", 2), ((string?)status["phase"], (int?)status["workerCount"]));
    }

    private static void AssertReady(JsonNode status, string expected, string reason, string message)
    {
        var ready = Assert.Single(status["conditions"]!.AsArray(), condition => (string?)condition!["type"] == ConditionTypes.Ready)!;
        Assert.Equal((expected, reason, message), ((string?)ready["status"], (string?)ready["reason"], (string?)ready["message"]));
    }
}
