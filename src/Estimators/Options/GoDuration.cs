using System.Globalization;

namespace TensorFusion.Estimators.Options;

/// <summary>
/// Parses Go duration strings (<c>"30m"</c>, <c>"1h30m"</c>, <c>"1.5h"</c>, <c>"90s"</c>, <c>"0"</c>), the format upstream uses
/// for every period in <c>autoSetResources</c>. Units: ns, us (µs), ms, s, m, h. No days, as in Go.
/// </summary>
public static class GoDuration
{
    // Two-letter units first, so "ms" is not read as minutes.
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.Trim().AsSpan();
        var sign = 1.0;
        if (span[0] is '-' or '+')
        {
            sign = span[0] == '-' ? -1 : 1;
            span = span[1..];
        }

        if (span is "0")
        {
            return true;
        }

        var ticks = 0.0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0
                || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[numberLength..];
            var matched = false;
            foreach (var (unit, unitTicks) in Units)
            {
                if (span.StartsWith(unit, StringComparison.Ordinal))
                {
                    ticks += number * unitTicks;
                    span = span[unit.Length..];
                    matched = true;
                    break;
                }
            }

            if (!matched || ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)Math.Round(sign * ticks));
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String()</c> for whole seconds: <c>2h0m0s</c> becomes <c>2h</c> for readability.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>();
        var total = duration.Duration();
        if ((long)total.TotalHours > 0)
        {
            parts.Add($"{(long)total.TotalHours}h");
        }

        if (total.Minutes > 0)
        {
            parts.Add($"{total.Minutes}m");
        }

        var seconds = total.Seconds + total.Milliseconds / 1000.0;
        if (seconds > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{seconds:0.###}s"));
        }

        return (duration < TimeSpan.Zero ? "-" : "") + string.Concat(parts);
    }
}
