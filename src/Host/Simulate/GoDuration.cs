using System.Globalization;
using System.Text.RegularExpressions;

namespace TensorFusion.Host.Simulate;

/// <summary>Parses Go-style durations as upstream annotations use them: <c>90s</c>, <c>30m</c>, <c>1h30m</c>.</summary>
public static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(match => match.Value)) != text)
        {
            return false;
        }

        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
