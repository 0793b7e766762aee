using System.Globalization;

namespace TensorFusion.Estimators.Options;

/// <summary>Parses the string fields of <see cref="AutoSetResourcesSettings"/>, collecting an error per bad field.</summary>
internal sealed class SettingsReader(string fieldPrefix)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public double Fraction(string field, string? text, double fallback) =>
        Number(field, text, fallback, value => value is >= 0 and <= 1, "a number between 0 and 1");

    public double NonNegative(string field, string? text, double fallback) =>
        Number(field, text, fallback, value => value >= 0 && !double.IsInfinity(value), "a number ≥ 0");

    public double Positive(string field, string? text, double fallback) =>
        Number(field, text, fallback, value => value > 0 && !double.IsInfinity(value), "a number > 0");

    public TimeSpan Period(string field, string? text, TimeSpan fallback, bool allowZero = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (GoDuration.TryParse(text, out var period) && (period > TimeSpan.Zero || (allowZero && period == TimeSpan.Zero)))
        {
            return period;
        }

        _errors.Add($"{fieldPrefix}.{field}: '{text}' is not a {(allowZero ? "non-negative" : "positive")} duration (examples: 30m, 2h, 1h30m)");
        return fallback;
    }

    public TimeSpan? OptionalPeriod(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var period = Period(field, text, TimeSpan.Zero);
        return period > TimeSpan.Zero ? period : null;
    }

    public TargetResource TargetResource(string? text, TargetResource fallback)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "":
                return fallback;
            case "all":
                return Options.TargetResource.All;
            case "compute" or "tflops":
                return Options.TargetResource.Compute;
            case "vram":
                return Options.TargetResource.Vram;
            default:
                _errors.Add($"{fieldPrefix}.targetResource: '{text}' is not one of compute, vram, all");
                return fallback;
        }
    }

    public void RequireOrdered(string lowField, double low, string highField, double high)
    {
        if (low > high)
        {
            _errors.Add($"{fieldPrefix}.{lowField} ({low.ToString(CultureInfo.InvariantCulture)}) must not exceed {highField} ({high.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    private double Number(string field, string? text, double fallback, Func<double, bool> isValid, string expectation)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && isValid(value))
        {
            return value;
        }

        _errors.Add($"{fieldPrefix}.{field}: '{text}' is not {expectation}");
        return fallback;
    }
}
