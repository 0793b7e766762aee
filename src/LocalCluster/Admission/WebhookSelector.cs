using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>A webhook's namespaceSelector / objectSelector (a metav1.LabelSelector); absent or empty selects everything.</summary>
internal static class WebhookSelector
{
    /// <summary>
    /// Whether the namespaceSelector and objectSelector of <paramref name="scope"/> (a webhook, or a policy binding's
    /// matchResources) both select a write of an object with <paramref name="objectLabels"/>; cluster-scoped kinds
    /// ignore the namespaceSelector.
    /// </summary>
    public static bool Selects(JsonNode? scope, ResourceType type, IReadOnlyDictionary<string, string> namespaceLabels, IReadOnlyDictionary<string, string> objectLabels) =>
        (!type.Namespaced || Matches(scope?["namespaceSelector"], namespaceLabels)) && Matches(scope?["objectSelector"], objectLabels);

    /// <summary>The labels of the write's namespace (none for cluster-scoped kinds or a namespace not stored).</summary>
    public static Dictionary<string, string> NamespaceLabels(ObjectStore store, ResourceType type, string @namespace) =>
        type.Namespaced && store.Get("namespaces", string.Empty, @namespace) is { } ns ? Meta.Labels(ns.Value) : [];

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
