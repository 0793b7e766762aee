using System.Text.RegularExpressions;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>The metric names of docs/metrics.md, read from its tables (the contract dashboards and alerts must use).</summary>
internal static partial class MetricsContract
{
    /// <summary>
    /// Every metric name in the first column of the tables. The shorthand
    /// <c>`tensorfusion_pool_capacity_tflops` / `_vram_bytes`</c> expands the suffix against the name before it,
    /// replacing its last unit (<c>_tflops</c>).
    /// </summary>
    public static IReadOnlySet<string> MetricNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(RepositoryLayout.MetricsContractFile).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var firstColumn = line.Split('|', StringSplitOptions.RemoveEmptyEntries)[0];
            string? previous = null;
            foreach (Match code in CodeSpan().Matches(firstColumn))
            {
                var name = code.Groups[1].Value;
                if (name.StartsWith('_') && previous is not null)
                {
                    name = previous[..previous.LastIndexOf("_tflops", StringComparison.Ordinal)] + name;
                }

                names.Add(name);
                previous = name.StartsWith("tensorfusion_", StringComparison.Ordinal) ? name : previous;
            }
        }

        return names;
    }

    /// <summary>Histogram metrics (type column says so); they are exposed as _bucket, _sum and _count.</summary>
    public static IReadOnlySet<string> HistogramNames() =>
        File.ReadLines(RepositoryLayout.MetricsContractFile)
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Split('|')[2].Trim() == "histogram")
            .Select(l => CodeSpan().Match(l).Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The tensorfusion_* series names a PromQL expression reads, histogram suffixes folded back to the metric.</summary>
    public static IEnumerable<string> MetricsIn(string expression) =>
        MetricReference().Matches(expression).Select(m => HistogramSuffix().Replace(m.Value, string.Empty)).Distinct();

    [GeneratedRegex("`([A-Za-z_]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\btensorfusion_[a-z_]+")]
    private static partial Regex MetricReference();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
