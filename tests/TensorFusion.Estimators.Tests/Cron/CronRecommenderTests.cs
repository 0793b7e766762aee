using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Tests.Cron;

public sealed class CronRecommenderTests
{
    private static readonly WorkloadResources Spec = new(new ResourceAmount(10, 4e9), new ResourceAmount(20, 8e9));
    private static readonly WorkloadResources Busy = new(new ResourceAmount(40, 16e9), new ResourceAmount(80, 32e9));
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_InsideTheWindow_RecommendsTheDesiredResourcesAsAFloor()
    {
        var rule = Rule("office-hours", "0 9 * * *", "0 17 * * *");

        var evaluation = CronRecommender.Evaluate([rule], null, Spec, Monday.AddHours(12));

        var result = Assert.IsType<RecommendationResult>(evaluation.Result);
        Assert.Empty(evaluation.Errors);
        Assert.Equal(RecommendationReason.RuleActive, result.Reason);
        Assert.Equal(Busy, result.Resources);
        Assert.True(result.ScaleDownLocking);
        Assert.False(result.HasApplied);
        Assert.Equal("office-hours", result.ActiveCronRule);
        Assert.Contains("active until 2026-03-02T17:00:00+00:00", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, 0, true)] // start is inclusive
    [InlineData(16, 59, true)]
    [InlineData(17, 0, false)] // end is exclusive
    [InlineData(8, 59, false)]
    public void Evaluate_WindowEdges_StartInclusiveEndExclusive(int hour, int minute, bool active)
    {
        var rule = Rule("office-hours", "0 9 * * *", "0 17 * * *");

        var evaluation = CronRecommender.Evaluate([rule], null, Spec, Monday.AddHours(hour).AddMinutes(minute));

        Assert.Equal(active, evaluation.Result is { Reason: RecommendationReason.RuleActive });
    }

    [Fact]
    public void Evaluate_LeavingTheRecordedWindow_RevertsToTheSpec()
    {
        var rule = Rule("office-hours", "0 9 * * *", "0 17 * * *");

        var evaluation = CronRecommender.Evaluate([rule], rule, Spec, Monday.AddHours(18));

        var result = Assert.IsType<RecommendationResult>(evaluation.Result);
        Assert.Equal(RecommendationReason.RuleInactive, result.Reason);
        Assert.Equal(Spec, result.Resources);
    }

    [Fact]
    public void Evaluate_OutsideAnyWindowWithNothingRecorded_ReturnsNothing()
    {
        var evaluation = CronRecommender.Evaluate([Rule("office-hours", "0 9 * * *", "0 17 * * *")], null, Spec, Monday.AddHours(18));

        Assert.Null(evaluation.Result);
        Assert.Empty(evaluation.Errors);
    }

    [Fact]
    public void Evaluate_RecordedRuleStillActive_IsAlreadyApplied()
    {
        var rule = Rule("office-hours", "0 9 * * *", "0 17 * * *");

        var result = CronRecommender.Evaluate([rule], rule, Spec, Monday.AddHours(12)).Result;

        Assert.True(result?.HasApplied);
        Assert.True(result?.ScaleDownLocking);
    }

    [Theory]
    // New York, 09:00–17:00 local. 2 March is EST (UTC−5): 13:30Z is 08:30 local (closed), 15:00Z is 10:00 (open).
    // 9 March is EDT (UTC−4) after the 8 March switch: 13:30Z is 09:30 local (open).
    [InlineData("2026-03-02T13:30:00Z", false)]
    [InlineData("2026-03-02T15:00:00Z", true)]
    [InlineData("2026-03-09T13:30:00Z", true)]
    public void Evaluate_RuleTimeZone_ReadsTheCronInLocalTime(string now, bool active)
    {
        var rule = Rule("office-hours", "0 9 * * *", "0 17 * * *") with { TimeZone = "America/New_York" };

        var evaluation = CronRecommender.Evaluate([rule], null, Spec, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(active, evaluation.Result is { Reason: RecommendationReason.RuleActive });
    }

    [Fact]
    public void Evaluate_TwoActiveRules_IsAnErrorNamingBoth()
    {
        var rules = new[] { Rule("day", "0 8 * * *", "0 18 * * *"), Rule("lunch", "0 12 * * *", "0 13 * * *") };

        var evaluation = CronRecommender.Evaluate(rules, null, Spec, Monday.AddHours(12).AddMinutes(30));

        Assert.Null(evaluation.Result);
        var error = Assert.Single(evaluation.Errors);
        Assert.Contains("only one active cron scaling rule is permitted, but day, lunch are all active", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 9 * *", "0 17 * * *", null, "cronScalingRules[r].start: '0 9 * *' is not a 5-field cron expression")]
    [InlineData("0 9 * * *", "0 9 * * *", null, "cronScalingRules[r]: start and end are the same")]
    [InlineData("0 9 * * *", "0 17 * * *", "Mars/Olympus", "cronScalingRules[r].timeZone: 'Mars/Olympus' is not a known IANA time zone")]
    public void Evaluate_InvalidRule_IsReportedNotIgnored(string start, string end, string? zone, string expected)
    {
        var rule = Rule("r", start, end) with { TimeZone = zone };

        var evaluation = CronRecommender.Evaluate([rule], null, Spec, Monday.AddHours(12));

        Assert.StartsWith(expected, Assert.Single(evaluation.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DisabledRule_IsSkipped()
    {
        var rule = Rule("office-hours", "0 9 * * *", "0 17 * * *") with { Enable = false };

        var evaluation = CronRecommender.Evaluate([rule], null, Spec, Monday.AddHours(12));

        Assert.Null(evaluation.Result);
    }

    private static CronScalingRule Rule(string name, string start, string end) => new(true, name, start, end, Busy);
}
