using System.Globalization;
using System.Text;

namespace TensorFusion.Agent.Tests.Metrics;

/// <summary>A small parser of the Prometheus text exposition format (enough for the agent's gauges and counters).</summary>
internal static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var nameEnd = line.IndexOfAny(['{', ' ']);
            var name = line[..nameEnd];
            var position = nameEnd;
            if (line[position] == '{')
            {
                position = ParseLabels(line, position + 1, labels);
            }

            var valueText = line[position..].Trim().Split(' ')[0];
            samples.Add(new PrometheusSample(name, labels, double.Parse(valueText, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    /// <summary>The single sample of <paramref name="name"/> whose labels include all of <paramref name="match"/>.</summary>
    public static double Value(this IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] match) =>
        samples.Single(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Key, out var v) && v == m.Value)).Value;

    private static int ParseLabels(string line, int position, Dictionary<string, string> labels)
    {
        while (line[position] != '}')
        {
            var equals = line.IndexOf('=', position);
            var key = line[position..equals].Trim(' ', ',');
            var value = new StringBuilder();
            var i = equals + 2; // skip ="
            for (; line[i] != '"'; i++)
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }

            labels[key] = value.ToString();
            position = i + 1;
            if (line[position] == ',')
            {
                position++;
            }
        }

        return position + 1;
    }
}
