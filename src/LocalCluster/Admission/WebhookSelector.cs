using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>A webhook's namespaceSelector / objectSelector (a metav1.LabelSelector); absent or empty selects everything.</summary>
internal static class WebhookSelector
{
    public static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not JsonObject value)
        {
            return true;
        }

        foreach (var (key, expected) in value["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != expected?.GetValue<string>())
            {
                return false;
            }
        }

        foreach (var expression in (value["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.GetValue<string>() ?? string.Empty;
            var values = (expression["values"] as JsonArray ?? []).Select(item => item?.GetValue<string>()).ToList();
            var has = labels.TryGetValue(key, out var actual);
            var ok = expression["operator"]?.GetValue<string>() switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
