using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Tests.Autoscaling;

public sealed class KubernetesWorkloadStatusWriterTests
{
    private const double GiB = 1024d * 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly WorkloadResources Spec = new(new ResourceAmount(10, 4 * GiB), new ResourceAmount(20, 8 * GiB));

    private static KubernetesWorkloadStatusWriter Writer() =>
        new(new KubeRestClient(new HttpClient(), new Uri("http://unused/")), new FakeTimeProvider(Now));

    private static TensorFusionWorkload Workload(TensorFusionWorkloadStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "llm", NamespaceProperty = "team", Generation = 3 },
        Spec = new WorkloadProfileSpec
        {
            Resources = ResourceConversions.ToRequirements(Spec),
            AutoScalingConfig = new AutoScalingConfig
            {
                CronScalingRules = [new CronScalingRule { Enable = true, Name = "noon", Start = "0 12 * * *", End = "0 13 * * *" }],
            },
        },
        Status = status,
    };

    private static AutoscaleDecision Decision(WorkloadResources resources, string? cron = null, bool ok = true, string reason = "Updated") =>
        new("team", "llm", resources, cron, Apply: false, ok, reason, "because", default);

    [Fact]
    public void Build_NewRecommendation_WritesItInMilliTflopsAndBytesWithTheCondition()
    {
        var recommended = new WorkloadResources(new ResourceAmount(4.7645, 3_861_631_195), new ResourceAmount(20, 6_434_836_069));

        var patch = Writer().Build(Workload(), Decision(recommended), appliedRecommendedReplicas: 2)!;

        Assert.Equal("4765m", (string?)patch["recommendation"]!["requests"]!["tflops"]);
        Assert.Equal("3861631195", (string?)patch["recommendation"]!["requests"]!["vram"]);
        Assert.Equal(2, (int?)patch["appliedRecommendedReplicas"]);
        var condition = Assert.Single(patch["conditions"]!.AsArray());
        Assert.Equal(("ResourceUpdate", "True", "Updated", 3L), ((string?)condition!["type"], (string?)condition["status"], (string?)condition["reason"], (long?)condition["observedGeneration"]));
        Assert.False(patch.ContainsKey("activeCronScalingRule"));
    }

    [Fact]
    public void Build_SpecUnchangedNoRecommendationYet_WritesOnlyTheCondition()
    {
        var patch = Writer().Build(Workload(), Decision(Spec, reason: "NoData"), null)!;

        Assert.Equal(["conditions"], patch.Select(pair => pair.Key));
    }

    [Fact]
    public void Build_EverythingAlreadySaid_Null()
    {
        var writer = Writer();
        var status = new TensorFusionWorkloadStatus
        {
            Conditions = [new V1Condition { Type = ConditionTypes.ResourceUpdate, Status = "True", Reason = "NoData", Message = "because", ObservedGeneration = 3 }],
        };

        Assert.Null(writer.Build(Workload(status), Decision(Spec, reason: "NoData"), null));
    }

    [Fact]
    public void Build_CronWindowClosed_ClearsTheRuleAndKeepsTheReconcilersCondition()
    {
        var status = new TensorFusionWorkloadStatus
        {
            Recommendation = ResourceConversions.ToRequirements(new WorkloadResources(new ResourceAmount(15, 4 * GiB), new ResourceAmount(20, 8 * GiB))),
            ActiveCronScalingRule = new CronScalingRule { Name = "noon" },
            Conditions =
            [
                new V1Condition { Type = ConditionTypes.Ready, Status = "True", Reason = "WorkloadReady" },
                new V1Condition { Type = ConditionTypes.RecommendationProvided, Status = "True", Reason = "RuleActive" },
            ],
        };

        var patch = Writer().Build(Workload(status), Decision(Spec, reason: "RuleInactive"), null)!;

        // A JSON null in a merge patch removes the field.
        Assert.True(patch.ContainsKey("activeCronScalingRule"));
        Assert.Null(patch["activeCronScalingRule"]);
        Assert.Equal("10", (string?)patch["recommendation"]!["requests"]!["tflops"]);
        // Ready (the reconciler's) stays; the legacy RecommendationProvided is migrated to ResourceUpdate.
        Assert.Equal(["Ready", "ResourceUpdate"], patch["conditions"]!.AsArray().Select(c => (string?)c!["type"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_CronWindowOpened_CopiesTheRuleFromSpec()
    {
        var patch = Writer().Build(Workload(), Decision(Spec, cron: "noon", reason: "RuleActive"), null)!;

        Assert.Equal(("noon", "0 12 * * *"), ((string?)patch["activeCronScalingRule"]!["name"], (string?)patch["activeCronScalingRule"]!["start"]));
        Assert.IsType<JsonObject>(patch["activeCronScalingRule"]);
    }
}
