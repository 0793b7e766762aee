using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TensorFusion.LocalCluster.Http;

/// <summary>
/// The JSONPath subset printer columns use: `.a.b`, `.a.b\\.c` (escaped dot inside a key), `.a[0]`, `.a[*].b`, and filters such as
/// `.status.conditions[?(@.type=="Ready")].status`. Returns every match in order.
/// </summary>
public static partial class SimpleJsonPath
{
    public static List<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        var text = path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$');
        foreach (Match step in StepPattern().Matches(text))
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (step.Groups["field"].Success)
                {
                    // `kubernetes\.io/hostname`: an escaped dot belongs to the key (label and annotation names).
                    if (node is JsonObject obj && obj.TryGetPropertyValue(step.Groups["field"].Value.Replace("\\.", ".", StringComparison.Ordinal), out var child))
                    {
                        next.Add(child);
                    }
                }
                else if (step.Groups["index"].Success && node is JsonArray array)
                {
                    var index = int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    index = index < 0 ? array.Count + index : index;
                    if (index >= 0 && index < array.Count)
                    {
                        next.Add(array[index]);
                    }
                }
                else if (step.Groups["all"].Success && node is JsonArray all)
                {
                    next.AddRange(all);
                }
                else if (step.Groups["key"].Success && node is JsonArray filtered)
                {
                    var key = step.Groups["key"].Value;
                    var value = step.Groups["value"].Value;
                    next.AddRange(filtered.Where(item => item is JsonObject candidate && candidate[key] is JsonValue found && found.ToString() == value));
                }
            }

            current = next;
        }

        return current;
    }

    [GeneratedRegex("""\.(?<field>(?:\\\.|[A-Za-z0-9_\-/$])+)|\[(?<index>-?\d+)\]|\[(?<all>\*)\]|\[\?\(@\.(?<key>[A-Za-z0-9_]+)\s*==\s*["'](?<value>[^"']*)["']\)\]""")]
    private static partial Regex StepPattern();
}
