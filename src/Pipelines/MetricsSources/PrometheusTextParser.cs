using System.Globalization;
using System.Text;

namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// Reads the Prometheus text exposition format (version 0.0.4): comments and blank lines skipped, label values
/// unescaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), values including NaN and ±Inf, optional timestamps ignored.
/// A malformed line is an error naming its line number; the other lines still count.
/// </summary>
public static class PrometheusTextParser
{
    public static IReadOnlyList<MetricSample> Parse(string text, List<string> errors)
    {
        var samples = new List<MetricSample>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (TryParseLine(line, out var sample, out var error))
            {
                samples.Add(sample!);
            }
            else
            {
                errors.Add($"line {lineNumber}: {error}");
            }
        }

        return samples;
    }

    private static bool TryParseLine(string line, out MetricSample? sample, out string? error)
    {
        sample = null;
        var index = 0;
        while (index < line.Length && (char.IsAsciiLetterOrDigit(line[index]) || line[index] is '_' or ':'))
        {
            index++;
        }

        if (index == 0)
        {
            error = $"expected a metric name in '{line}'";
            return false;
        }

        var name = line[..index];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (index < line.Length && line[index] == '{')
        {
            if (!TryParseLabels(line, ref index, labels, out error))
            {
                return false;
            }
        }

        var rest = line[index..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length == 0 || !TryParseValue(rest[0], out var value))
        {
            error = $"metric {name}: missing or invalid value";
            return false;
        }

        sample = new MetricSample(name, labels, value);
        error = null;
        return true;
    }

    private static bool TryParseLabels(string line, ref int index, Dictionary<string, string> labels, out string? error)
    {
        index++;
        while (true)
        {
            while (index < line.Length && line[index] is ' ' or ',')
            {
                index++;
            }

            if (index < line.Length && line[index] == '}')
            {
                index++;
                error = null;
                return true;
            }

            var equals = line.IndexOf('=', index);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                error = $"label {index}: expected name=\"value\"";
                return false;
            }

            var key = line[index..equals].Trim();
            var value = new StringBuilder();
            index = equals + 2;
            while (index < line.Length && line[index] != '"')
            {
                if (line[index] == '\\' && index + 1 < line.Length)
                {
                    index++;
                    value.Append(line[index] == 'n' ? '\n' : line[index]);
                }
                else
                {
                    value.Append(line[index]);
                }

                index++;
            }

            if (index >= line.Length)
            {
                error = $"label {key}: unterminated value";
                return false;
            }

            labels[key] = value.ToString();
            index++;
        }
    }

    /// <summary>Parses a sample value as Prometheus writes it (Go float syntax plus NaN, +Inf, -Inf).</summary>
    public static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
