using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Autoscaling.WhatIf;

namespace TensorFusion.Host.Cli;

/// <summary>Renders a what-if outcome as the one JSON object of <c>--output json</c> or as a table for people.</summary>
/// <remarks>TFLOPs are plain numbers; VRAM is whole bytes (rounded down, as quantities are integers).</remarks>
public static class RecommendationReport
{
    public static string Json(WhatIfOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var recommendation = outcome.Recommendation;
        using var stream = new MemoryStream();
        // Relaxed escaping keeps "×" and "∞" readable in the message; the output is still valid JSON.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("reason", recommendation.Reason.ToString());
            json.WriteString("message", recommendation.Message);
            json.WriteStartObject("estimates");
            WriteRange(json, "tflops", recommendation.Estimates.Tflops, wholeBytes: false);
            WriteRange(json, "vram", recommendation.Estimates.Vram, wholeBytes: true);
            json.WriteEndObject();
            json.WriteStartObject("recommendation");
            WriteAmount(json, "requests", recommendation.Resources.Requests);
            WriteAmount(json, "limits", recommendation.Resources.Limits);
            json.WriteEndObject();
            if (recommendation.ActiveCronRule is { } rule)
            {
                json.WriteString("activeCronScalingRule", rule);
            }
            else
            {
                json.WriteNull("activeCronScalingRule");
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Table(string workloadName, WhatIfOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var recommendation = outcome.Recommendation;
        var estimates = recommendation.Estimates;
        var resources = recommendation.Resources;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Workload:          {workloadName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Evaluated at:      {outcome.Now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (created {outcome.CreationTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
        var leftOut = outcome.SamplesAfterNow > 0 ? $", {outcome.SamplesAfterNow} after --now left out" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"Samples:           {outcome.SamplesUsed} from {outcome.Workers} worker(s){leftOut}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Reason:            {recommendation.Reason}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Active cron rule:  {recommendation.ActiveCronRule ?? "none"}");
        text.AppendLine();
        text.AppendLine(Row("", "lower bound", "target", "upper bound"));
        text.AppendLine(Row("TFLOPs", Tflops(estimates.Tflops.LowerBound), Tflops(estimates.Tflops.Target), Tflops(estimates.Tflops.UpperBound)));
        text.AppendLine(Row("VRAM", Bytes(estimates.Vram.LowerBound), Bytes(estimates.Vram.Target), Bytes(estimates.Vram.UpperBound)));
        text.AppendLine();
        text.AppendLine(Row("", "request", "limit", ""));
        text.AppendLine(Row("TFLOPs", Tflops(resources.Requests.Tflops), Tflops(resources.Limits.Tflops), ""));
        text.AppendLine(Row("VRAM", Bytes(resources.Requests.VramBytes), Bytes(resources.Limits.VramBytes), ""));
        text.AppendLine();
        text.AppendLine("Why:");
        text.AppendLine(recommendation.Message);
        return text.ToString();
    }

    private static void WriteRange(Utf8JsonWriter json, string name, EstimateRange range, bool wholeBytes)
    {
        json.WriteStartObject(name);
        json.WriteNumber("lowerBound", Round(range.LowerBound, wholeBytes));
        json.WriteNumber("target", Round(range.Target, wholeBytes));
        json.WriteNumber("upperBound", Round(range.UpperBound, wholeBytes));
        json.WriteEndObject();
    }

    private static void WriteAmount(Utf8JsonWriter json, string name, ResourceAmount amount)
    {
        json.WriteStartObject(name);
        json.WriteNumber("tflops", amount.Tflops);
        json.WriteNumber("vram", Math.Floor(amount.VramBytes));
        json.WriteEndObject();
    }

    private static double Round(double value, bool wholeBytes) => wholeBytes ? Math.Floor(value) : value;

    private static string Row(string label, string a, string b, string c) => $"{label,-8}{a,26}{b,26}{c,26}".TrimEnd();

    private static string Tflops(double value) => ResourceText.Number(value);

    private static string Bytes(double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(value):0} ({value / ResourceText.GiB:0.###} GiB)");
}
