namespace TensorFusion.Estimators.Options;

/// <summary>The outcome of <see cref="PercentileOptions.Parse"/>: usable options plus one message per invalid field.</summary>
public sealed record ParsedPercentileOptions(PercentileOptions Options, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
