using System.Globalization;
using System.Text.Json;

namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// Reads the Prometheus HTTP API's query answer (<c>{"status":"success","data":{"resultType":"matrix"|"vector",...}}</c>).
/// An error answer or an unexpected shape becomes an error message, never an exception.
/// </summary>
public static class PrometheusResponseReader
{
    public static (IReadOnlyList<PrometheusSeries> Series, string? Error) Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : "error";
                var message = root.TryGetProperty("error", out var e) ? e.GetString() : "no message";
                return ([], $"prometheus answered {type}: {message}");
            }

            var data = root.GetProperty("data");
            var resultType = data.GetProperty("resultType").GetString();
            var series = new List<PrometheusSeries>();
            foreach (var item in data.GetProperty("result").EnumerateArray())
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var label in item.GetProperty("metric").EnumerateObject())
                {
                    labels[label.Name] = label.Value.GetString() ?? string.Empty;
                }

                var points = new List<(DateTimeOffset, double)>();
                if (resultType == "matrix")
                {
                    foreach (var point in item.GetProperty("values").EnumerateArray())
                    {
                        points.Add(ReadPoint(point));
                    }
                }
                else if (resultType == "vector")
                {
                    points.Add(ReadPoint(item.GetProperty("value")));
                }
                else
                {
                    return ([], $"prometheus answered resultType '{resultType}', expected matrix or vector");
                }

                series.Add(new PrometheusSeries(labels, points));
            }

            return (series, null);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return ([], $"prometheus answer is not a query result: {error.Message}");
        }
    }

    private static (DateTimeOffset, double) ReadPoint(JsonElement point)
    {
        var seconds = point[0].GetDouble();
        var text = point[1].GetString() ?? "NaN";
        if (!PrometheusTextParser.TryParseValue(text, out var value))
        {
            throw new FormatException($"sample value '{text}' is not a number");
        }

        return (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero)), value);
    }

    public static string FormatTime(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
