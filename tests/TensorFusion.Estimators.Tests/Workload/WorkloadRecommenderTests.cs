using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Estimators.Workload;

namespace TensorFusion.Estimators.Tests.Workload;

public sealed class WorkloadRecommenderTests
{
    private const double GiB = WorkedExample.GiB;

    [Fact]
    public void Recommend_WorkedExample_UpdatesToThePercentileResources()
    {
        // The numbers of docs/autoscaling.md: request 4.76450 TFLOPs / 3 861 631 195 B, limit 20 TFLOPs / 6 434 836 069 B.
        var recommendation = WorkloadRecommender.Recommend(Input());

        Assert.Equal(RecommendationReason.Updated, recommendation.Reason);
        Assert.True(recommendation.ShouldApply);
        Assert.Equal(4.76450, recommendation.Resources.Requests.Tflops, 5);
        Assert.Equal(3_861_631_195, recommendation.Resources.Requests.VramBytes);
        Assert.Equal(new ResourceAmount(20, 6_434_836_069), recommendation.Resources.Limits);
        Assert.Null(recommendation.ActiveCronRule);
        Assert.Empty(recommendation.Errors);
    }

    [Fact]
    public void Recommend_ActiveCronRuleAbovePercentile_WinsWithRuleActive()
    {
        // Cron wants 30 TFLOPs / 2 GiB: TFLOPs 30 > 4.76 comes from cron (limit 40); VRAM 3.86e9 > 2 GiB stays percentile.
        var rule = new CronScalingRule(true, "burst", "0 8 * * *", "0 18 * * *",
            new WorkloadResources(new(30, 2 * GiB), new(40, 2 * GiB)));

        var recommendation = WorkloadRecommender.Recommend(Input() with { CronRules = [rule] });

        Assert.Equal(RecommendationReason.RuleActive, recommendation.Reason);
        Assert.Equal("burst", recommendation.ActiveCronRule);
        Assert.Equal(new ResourceAmount(30, 3_861_631_195), recommendation.Resources.Requests);
        Assert.Equal(new ResourceAmount(40, 6_434_836_069), recommendation.Resources.Limits);
    }

    [Fact]
    public void Recommend_Headroom_CapsTheRequest()
    {
        // One GPU: 1 TFLOPs free plus the 2 TFLOPs this workload's single worker already holds there: cap (1 + 2) / 1 = 3.
        var headroom = new[] { new GpuHeadroom(1, 100 * GiB, 2, 4 * GiB, 1) };

        var recommendation = WorkloadRecommender.Recommend(Input() with { Headroom = headroom });

        Assert.Equal(3, recommendation.Resources.Requests.Tflops);
        Assert.Contains("capped at the GPUs' headroom 3 TFLOPs", recommendation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_ConfigurationErrors_KeepTheCurrentResources()
    {
        var recommendation = WorkloadRecommender.Recommend(Input() with { ConfigurationErrors = ["autoScalingConfig.autoSetResources.marginFraction: 'x' is not a number ≥ 0"] });

        Assert.False(recommendation.ShouldApply);
        Assert.Equal(WorkedExample.Spec, recommendation.Resources);
        Assert.Contains("marginFraction", Assert.Single(recommendation.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_YoungWorkload_KeepsTheCurrentResourcesWithLowConfidence()
    {
        var recommendation = WorkloadRecommender.Recommend(Input() with { Now = WorkedExample.Start.AddMinutes(10) });

        Assert.Equal(RecommendationReason.LowConfidence, recommendation.Reason);
        Assert.False(recommendation.ShouldApply);
        Assert.Equal(WorkedExample.Spec, recommendation.Resources);
        Assert.Equal(4.76450, recommendation.Estimates.Tflops.LowerBound, 5); // estimates are still shown
    }

    private static WorkloadRecommendationInput Input() => new(
        WorkedExample.Aggregate(),
        WorkedExample.Spec,
        Current: null,
        QosLevel.Medium,
        PercentileOptions.Default,
        CronRules: [],
        RecordedCronRule: null,
        CreationTime: WorkedExample.Start,
        Now: WorkedExample.LastSample);
}
