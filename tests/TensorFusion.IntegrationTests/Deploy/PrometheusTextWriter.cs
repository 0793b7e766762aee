using System.Globalization;
using System.Text;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>Writes the Prometheus text exposition format (version 0.0.4) for the sample endpoint.</summary>
internal sealed class PrometheusTextWriter
{
    private readonly StringBuilder _text = new();

    public void Family(string name, string type, IEnumerable<(string Labels, double Value)> samples)
    {
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            Sample(name, labels, value);
        }
    }

    /// <summary>Histogram series; each gives the observations per bucket (not cumulative) and the sum.</summary>
    public void Histogram(string name, IEnumerable<(string Labels, double[] Bounds, long[] CountsPerBucket, double Sum)> series)
    {
        _text.Append("# TYPE ").Append(name).Append(" histogram\n");
        foreach (var (labels, bounds, countsPerBucket, sum) in series)
        {
            long cumulative = 0;
            for (var i = 0; i < bounds.Length; i++)
            {
                cumulative += countsPerBucket[i];
                Sample(name + "_bucket", Join(labels, $"le=\"{bounds[i].ToString(CultureInfo.InvariantCulture)}\""), cumulative);
            }

            Sample(name + "_bucket", Join(labels, "le=\"+Inf\""), cumulative);
            Sample(name + "_sum", labels, sum);
            Sample(name + "_count", labels, cumulative);
        }
    }

    public override string ToString() => _text.ToString();

    private void Sample(string name, string labels, double value) =>
        _text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;
}
