using System.Diagnostics.CodeAnalysis;
using Cronos;

namespace TensorFusion.Estimators.Cron;

/// <summary>Parses a rule's cron fields and time zone and decides whether its window is open at a given time.</summary>
internal static class CronWindow
{
    /// <summary>True when the window is open at <paramref name="now"/>; <paramref name="error"/> names a bad field.</summary>
    public static bool TryOpenUntil(CronScalingRule rule, DateTimeOffset now, out DateTimeOffset until, out string? error)
    {
        until = default;
        var field = $"cronScalingRules[{rule.Name}]";
        if (string.Equals(rule.Start!.Trim(), rule.End!.Trim(), StringComparison.Ordinal))
        {
            error = $"{field}: start and end are the same cron expression '{rule.Start}', so the window would be empty";
            return false;
        }

        if (!TryParse(rule.Start, $"{field}.start", out var start, out error)
            || !TryParse(rule.End, $"{field}.end", out var end, out error)
            || !TryZone(rule.TimeZone, $"{field}.timeZone", out var zone, out error))
        {
            return false;
        }

        var nextStart = start.GetNextOccurrence(now, zone);
        var nextEnd = end.GetNextOccurrence(now, zone);
        if (nextEnd is { } endAt && (nextStart is null || endAt < nextStart))
        {
            until = endAt;
            return true;
        }

        return false;
    }

    private static bool TryParse(string text, string field, [NotNullWhen(true)] out CronExpression? expression, out string? error)
    {
        try
        {
            expression = CronExpression.Parse(text.Trim(), CronFormat.Standard);
            error = null;
            return true;
        }
        catch (CronFormatException exception)
        {
            expression = null;
            error = $"{field}: '{text}' is not a 5-field cron expression ({exception.Message})";
            return false;
        }
    }

    private static bool TryZone(string? id, string field, out TimeZoneInfo zone, out string? error)
    {
        zone = TimeZoneInfo.Utc;
        error = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"{field}: '{id}' is not a known IANA time zone (example: Europe/Berlin)";
            return false;
        }
    }
}
