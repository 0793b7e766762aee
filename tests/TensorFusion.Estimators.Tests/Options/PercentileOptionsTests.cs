using TensorFusion.Estimators.Options;

namespace TensorFusion.Estimators.Tests.Options;

public sealed class PercentileOptionsTests
{
    [Fact]
    public void Parse_NoSettings_GivesUpstreamCodedDefaults()
    {
        var parsed = PercentileOptions.Parse(null);

        var options = parsed.Options;
        Assert.True(parsed.IsValid);
        Assert.Equal((0.5, 0.95, 0.99), (options.LowerBoundComputePercentile, options.TargetComputePercentile, options.UpperBoundComputePercentile));
        Assert.Equal((0.5, 0.98, 0.99), (options.LowerBoundVramPercentile, options.TargetVramPercentile, options.UpperBoundVramPercentile));
        Assert.Equal((0.15, 0.1), (options.MarginFraction, options.UpdateThreshold));
        Assert.Equal((0.2, 5.0, 0.1, 10.0), (options.MinVramResourcesRatio, options.MaxVramResourcesRatio, options.MinComputeResourcesRatio, options.MaxComputeResourcesRatio));
        Assert.Equal(TimeSpan.FromMinutes(30), options.InitialDelayPeriod);
        Assert.Equal(TimeSpan.FromHours(2), options.HistoryDataPeriod);
        Assert.Null(options.ConfidenceInterval);
    }

    [Fact]
    public void Parse_UserStrings_OverrideEachDefault()
    {
        var parsed = PercentileOptions.Parse(new AutoSetResourcesSettings
        {
            Enable = true,
            TargetResource = "vram",
            TargetComputePercentile = "0.9",
            MarginFraction = "0.2",
            HistoryDataPeriod = "6h",
            InitialDelayPeriod = "1h30m",
            ConfidenceInterval = "24h",
        });

        Assert.True(parsed.IsValid);
        Assert.Equal(TargetResource.Vram, parsed.Options.TargetResource);
        Assert.Equal(0.9, parsed.Options.TargetComputePercentile);
        Assert.Equal(0.2, parsed.Options.MarginFraction);
        Assert.Equal(TimeSpan.FromHours(6), parsed.Options.HistoryDataPeriod);
        Assert.Equal(TimeSpan.FromMinutes(90), parsed.Options.InitialDelayPeriod);
        Assert.Equal(TimeSpan.FromHours(24), parsed.Options.ConfidenceInterval);
        Assert.Equal(0.99, parsed.Options.UpperBoundComputePercentile); // untouched default
    }

    [Fact]
    public void Parse_InvalidStrings_AreReportedByFieldAndDefaultsKept()
    {
        var parsed = PercentileOptions.Parse(new AutoSetResourcesSettings
        {
            TargetComputePercentile = "ninety",
            UpperBoundVramPercentile = "1.5",
            HistoryDataPeriod = "2 days",
            TargetResource = "gpu",
        });

        Assert.False(parsed.IsValid);
        Assert.Collection(
            parsed.Errors,
            error => Assert.StartsWith("autoScalingConfig.autoSetResources.targetResource: 'gpu'", error, StringComparison.Ordinal),
            error => Assert.StartsWith("autoScalingConfig.autoSetResources.targetComputePercentile: 'ninety'", error, StringComparison.Ordinal),
            error => Assert.StartsWith("autoScalingConfig.autoSetResources.upperBoundVRAMPercentile: '1.5'", error, StringComparison.Ordinal),
            error => Assert.StartsWith("autoScalingConfig.autoSetResources.historyDataPeriod: '2 days'", error, StringComparison.Ordinal));
        Assert.Equal(0.95, parsed.Options.TargetComputePercentile);
    }

    [Fact]
    public void Parse_LowerAboveTarget_IsReported()
    {
        var parsed = PercentileOptions.Parse(new AutoSetResourcesSettings { LowerBoundComputePercentile = "0.97" });

        var error = Assert.Single(parsed.Errors);
        Assert.Contains("lowerBoundComputePercentile (0.97) must not exceed targetComputePercentile (0.95)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HistoryBeyond30Days_IsCapped()
    {
        var parsed = PercentileOptions.Parse(new AutoSetResourcesSettings { HistoryDataPeriod = "1000h" });

        Assert.True(parsed.IsValid);
        Assert.Equal(TimeSpan.FromDays(30), parsed.Options.HistoryDataPeriod);
    }
}
