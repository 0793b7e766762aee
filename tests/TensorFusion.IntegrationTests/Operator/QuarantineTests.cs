using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Quarantine;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// Finding 1 of issue 14: one stored object the operator cannot decode or use must never stop the other keys. The bad
/// values are written straight into the embedded API server's store, past any admission, as an older or laxer API
/// server would have kept them.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class QuarantineTests
{
    private const string WorkloadStorage = "tensorfusionworkloads.tensor-fusion.ai";

    [Fact]
    public async Task Workload_StoredTflopsAbcOrNegative_QuarantinedWhileOtherWorkloadsReconcile()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("bad", "pool-a", replicas: 1);
        await CorruptAsync(cluster, "bad", "abc");

        await using var op = cluster.StartOperator();
        await cluster.CreateWorkloadAsync("good", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("good", w => w.Status?.ReadyWorkers == 1, "a workload created after the undecodable one runs");

        // The watch path: a running workload turns invalid ("-5" is a quantity, but a negative request).
        await cluster.CreateWorkloadAsync("later", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("later", w => w.Status?.ReadyWorkers == 1, "the second workload runs before it is corrupted");
        await CorruptAsync(cluster, "later", "-5");
        await cluster.PatchWorkloadSpecAsync("good", new JsonObject { ["replicas"] = 2 });
        await cluster.WaitForWorkloadAsync("good", w => w.Status?.ReadyWorkers == 2, "a valid workload is still scaled after a second one was quarantined");

        var abc = await WaitForQuarantineConditionAsync(cluster, "bad");
        Assert.Contains("spec.resources.requests.tflops", abc, StringComparison.Ordinal);
        Assert.Contains("abc", abc, StringComparison.Ordinal);
        var negative = await WaitForQuarantineConditionAsync(cluster, "later");
        Assert.Contains("spec.resources.requests.tflops: \"-5\" is negative", negative, StringComparison.Ordinal);
        var events = await cluster.Direct.GetAsync<JsonNode>(ResourceDescriptor.Events.CollectionPath(OperatorCluster.Namespace), CancellationToken.None);
        var warned = events["items"]!.AsArray().Where(e => (string?)e!["reason"] == QuarantineReasons.InvalidSpec && (string?)e["type"] == "Warning")
            .Select(e => (string)e!["involvedObject"]!["name"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "bad", "later" }, warned);
        Assert.Contains("tensorfusion_invalid_objects{kind=\"TensorFusionWorkload\"} 2", await op.ScrapeAsync(), StringComparison.Ordinal);
        // Quarantined, not acted on: the corrupted workload keeps the one worker it had.
        Assert.Single(cluster.ActiveWorkers("later"));

        // Deleting a quarantined workload is enough: the finalizer goes and so does the gauge.
        await cluster.DeleteWorkloadAsync("bad");
        await cluster.DeleteWorkloadAsync("later");
        await OperatorCluster.WaitUntilAsync(cluster.Workloads, informer => informer.Get(OperatorCluster.Namespace, "later") is null && informer.GetInvalid(OperatorCluster.Namespace, "later") is null
            && informer.Get(OperatorCluster.Namespace, "bad") is null, "both quarantined workloads are gone");
        await cluster.CreateWorkloadAsync("after", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("after", w => w.Status?.ReadyWorkers == 1, "a workload created after the deletions runs (the operator saw the deletions first)");
        Assert.Contains("tensorfusion_invalid_objects{kind=\"TensorFusionWorkload\"} 0", await op.ScrapeAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_StoredQuantityOverflow_QuarantinedAndWorkloadsOfOtherPoolsRun()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreatePoolAsync("pool-b");
        await cluster.Server.Store.WriteAsync(transaction =>
        {
            var stored = transaction.Get("gpupools.tensor-fusion.ai", string.Empty, "pool-b")!.Value.DeepClone().AsObject();
            stored["spec"]!["capacityConfig"] = new JsonObject { ["minResources"] = new JsonObject { ["tflops"] = "99999999999Ei" } };
            return transaction.Put("gpupools.tensor-fusion.ai", string.Empty, "pool-b", stored);
        });

        await using var op = cluster.StartOperator();
        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.ReadyWorkers == 1, "a workload of a valid pool runs beside a quarantined pool");

        var scrape = await op.ScrapeAsync();
        Assert.True(scrape.Contains("tensorfusion_invalid_objects{kind=\"GPUPool\"} 1", StringComparison.Ordinal), scrape[scrape.IndexOf("tensorfusion_invalid", StringComparison.Ordinal)..]);
        var invalid = op.Operator.Caches.Pools.GetInvalid(null, "pool-b");
        Assert.NotNull(invalid);
        Assert.Contains("spec.capacityConfig.minResources.tflops", invalid.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProfileAndQuota_UnknownEnumAndWrongType_EachQuarantinedNamingTheField()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool-a");
        await Store(cluster, "workloadprofiles.tensor-fusion.ai", "gold", "WorkloadProfile", new JsonObject { ["qos"] = "platinum" });
        await Store(cluster, "gpuresourcequotas.tensor-fusion.ai", "team", "GPUResourceQuota", new JsonObject { ["total"] = new JsonObject { ["maxWorkers"] = "many" } });

        await using var op = cluster.StartOperator();
        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.ReadyWorkers == 1, "a workload runs beside a quarantined profile and quota");

        Assert.Contains("spec.qos", op.Operator.Caches.Profiles.GetInvalid(OperatorCluster.Namespace, "gold")?.Problem, StringComparison.Ordinal);
        Assert.Contains("spec.total.maxWorkers", op.Operator.Inventory.Quotas.GetInvalid(OperatorCluster.Namespace, "team")?.Problem, StringComparison.Ordinal);
        var metrics = await op.ScrapeAsync();
        Assert.Contains("tensorfusion_invalid_objects{kind=\"WorkloadProfile\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("tensorfusion_invalid_objects{kind=\"GPUResourceQuota\"} 1", metrics, StringComparison.Ordinal);
    }

    /// <summary>Puts an object straight into the store (no admission), as an older or laxer API server could hold it.</summary>
    private static Task Store(OperatorCluster cluster, string storage, string name, string kind, JsonObject spec) =>
        cluster.Server.Store.WriteAsync(transaction => transaction.Put(storage, OperatorCluster.Namespace, name, new JsonObject
        {
            ["apiVersion"] = Api.TensorFusionApi.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = OperatorCluster.Namespace, ["uid"] = Guid.NewGuid().ToString() },
            ["spec"] = spec,
        }));

    /// <summary>Rewrites the stored workload's tflops request, bypassing admission (a new resourceVersion, a watch event).</summary>
    private static Task CorruptAsync(OperatorCluster cluster, string name, string tflops) =>
        cluster.Server.Store.WriteAsync(transaction =>
        {
            var stored = transaction.Get(WorkloadStorage, OperatorCluster.Namespace, name)!.Value.DeepClone().AsObject();
            stored["spec"]!["resources"]!["requests"]!["tflops"] = tflops;
            return transaction.Put(WorkloadStorage, OperatorCluster.Namespace, name, stored);
        });

    /// <summary>The Ready condition's message once the quarantine controller wrote it (Ready=False, reason InvalidSpec).</summary>
    private static async Task<string> WaitForQuarantineConditionAsync(OperatorCluster cluster, string name)
    {
        var path = ResourceDescriptor.Workloads.ObjectPath(OperatorCluster.Namespace, name);
        JsonNode? ready = null;
        await OperatorCluster.WaitUntilAsync(cluster.Workloads, _ =>
        {
            // Each new stored version (the condition write) reaches the test's informer as a change or, when it does not
            // decode there either, as a quarantined version: both wake this check, which reads the store itself.
            var stored = cluster.Server.Store.Get(WorkloadStorage, OperatorCluster.Namespace, name)?.Value;
            ready = (stored?["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c!["type"] == ConditionTypes.Ready);
            return (string?)ready?["reason"] == QuarantineReasons.InvalidSpec;
        }, $"{path} carries Ready=False ({QuarantineReasons.InvalidSpec})");
        Assert.Equal("False", (string?)ready!["status"]);
        return (string)ready["message"]!;
    }
}
