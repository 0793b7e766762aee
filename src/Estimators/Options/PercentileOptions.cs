namespace TensorFusion.Estimators.Options;

/// <summary>
/// The percentile recommender's parameters, with upstream's CODED defaults (the CRD comments and public docs say
/// 0.9/0.5/0.95; the code uses 0.95/0.5/0.99 for compute and 0.98/0.5/0.99 for VRAM, and the code wins).
/// </summary>
public sealed record PercentileOptions
{
    /// <summary>History is capped at 30 days, as upstream does.</summary>
    public static readonly TimeSpan MaxHistoryDataPeriod = TimeSpan.FromDays(30);

    public static PercentileOptions Default { get; } = new();

    public bool Enable { get; init; }

    public TargetResource TargetResource { get; init; } = TargetResource.All;

    public double TargetComputePercentile { get; init; } = 0.95;

    public double LowerBoundComputePercentile { get; init; } = 0.5;

    public double UpperBoundComputePercentile { get; init; } = 0.99;

    public double TargetVramPercentile { get; init; } = 0.98;

    public double LowerBoundVramPercentile { get; init; } = 0.5;

    public double UpperBoundVramPercentile { get; init; } = 0.99;

    /// <summary>Every estimate is the percentile × (1 + margin).</summary>
    public double MarginFraction { get; init; } = 0.15;

    /// <summary>A request changes only when it moves by more than this fraction of the current request.</summary>
    public double UpdateThreshold { get; init; } = 0.1;

    public TimeSpan HistoryDataPeriod { get; init; } = TimeSpan.FromHours(2);

    public double MinVramResourcesRatio { get; init; } = 0.2;

    public double MaxVramResourcesRatio { get; init; } = 5.0;

    public double MinComputeResourcesRatio { get; init; } = 0.1;

    public double MaxComputeResourcesRatio { get; init; } = 10.0;

    /// <summary>Before creation + this period the recommender answers LowConfidence and changes nothing.</summary>
    public TimeSpan InitialDelayPeriod { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Evaluation interval; null means the engine's global interval.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>When set, bounds are scaled by VPA's confidence factor measured in units of this interval.</summary>
    public TimeSpan? ConfidenceInterval { get; init; }

    /// <summary>
    /// Reads the user's strings over the defaults. Every string that does not parse or is out of range is reported with
    /// its field name and the default is kept for it; nothing is silently ignored.
    /// </summary>
    public static ParsedPercentileOptions Parse(AutoSetResourcesSettings? settings, string fieldPrefix = "autoScalingConfig.autoSetResources")
    {
        var options = Default;
        if (settings is null)
        {
            return new ParsedPercentileOptions(options, []);
        }

        var reader = new SettingsReader(fieldPrefix);
        options = options with
        {
            Enable = settings.Enable,
            TargetResource = reader.TargetResource(settings.TargetResource, options.TargetResource),
            TargetComputePercentile = reader.Fraction("targetComputePercentile", settings.TargetComputePercentile, options.TargetComputePercentile),
            LowerBoundComputePercentile = reader.Fraction("lowerBoundComputePercentile", settings.LowerBoundComputePercentile, options.LowerBoundComputePercentile),
            UpperBoundComputePercentile = reader.Fraction("upperBoundComputePercentile", settings.UpperBoundComputePercentile, options.UpperBoundComputePercentile),
            TargetVramPercentile = reader.Fraction("targetVRAMPercentile", settings.TargetVramPercentile, options.TargetVramPercentile),
            LowerBoundVramPercentile = reader.Fraction("lowerBoundVRAMPercentile", settings.LowerBoundVramPercentile, options.LowerBoundVramPercentile),
            UpperBoundVramPercentile = reader.Fraction("upperBoundVRAMPercentile", settings.UpperBoundVramPercentile, options.UpperBoundVramPercentile),
            MarginFraction = reader.NonNegative("marginFraction", settings.MarginFraction, options.MarginFraction),
            UpdateThreshold = reader.NonNegative("updateThreshold", settings.UpdateThreshold, options.UpdateThreshold),
            HistoryDataPeriod = Min(reader.Period("historyDataPeriod", settings.HistoryDataPeriod, options.HistoryDataPeriod), MaxHistoryDataPeriod),
            MinVramResourcesRatio = reader.Positive("minVRAMResourcesRatio", settings.MinVramResourcesRatio, options.MinVramResourcesRatio),
            MaxVramResourcesRatio = reader.Positive("maxVRAMResourcesRatio", settings.MaxVramResourcesRatio, options.MaxVramResourcesRatio),
            MinComputeResourcesRatio = reader.Positive("minComputeResourcesRatio", settings.MinComputeResourcesRatio, options.MinComputeResourcesRatio),
            MaxComputeResourcesRatio = reader.Positive("maxComputeResourcesRatio", settings.MaxComputeResourcesRatio, options.MaxComputeResourcesRatio),
            InitialDelayPeriod = reader.Period("initialDelayPeriod", settings.InitialDelayPeriod, options.InitialDelayPeriod, allowZero: true),
            Interval = reader.OptionalPeriod("interval", settings.Interval),
            ConfidenceInterval = reader.OptionalPeriod("confidenceInterval", settings.ConfidenceInterval),
        };

        reader.RequireOrdered("lowerBoundComputePercentile", options.LowerBoundComputePercentile, "targetComputePercentile", options.TargetComputePercentile);
        reader.RequireOrdered("targetComputePercentile", options.TargetComputePercentile, "upperBoundComputePercentile", options.UpperBoundComputePercentile);
        reader.RequireOrdered("lowerBoundVRAMPercentile", options.LowerBoundVramPercentile, "targetVRAMPercentile", options.TargetVramPercentile);
        reader.RequireOrdered("targetVRAMPercentile", options.TargetVramPercentile, "upperBoundVRAMPercentile", options.UpperBoundVramPercentile);
        reader.RequireOrdered("minVRAMResourcesRatio", options.MinVramResourcesRatio, "maxVRAMResourcesRatio", options.MaxVramResourcesRatio);
        reader.RequireOrdered("minComputeResourcesRatio", options.MinComputeResourcesRatio, "maxComputeResourcesRatio", options.MaxComputeResourcesRatio);
        return new ParsedPercentileOptions(options, reader.Errors);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
