using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Selectors;

/// <summary>
/// A parsed `fieldSelector` (`metadata.name=x,spec.nodeName!=`, `==` too). Any dotted path into the object is
/// accepted (a real server allows only a per-kind list such as metadata.name, metadata.namespace, spec.nodeName,
/// status.phase); a missing field compares as the empty string.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Equal)> _requirements = [];

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>The name when the selector pins exactly one `metadata.name` (used by kubectl delete/wait watches).</summary>
    public string? ExactName => _requirements.FirstOrDefault(r => r.Equal && r.Path is ["metadata", "name"]).Value;

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var term in text.Split(','))
        {
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var doubleEqual = term.IndexOf("==", StringComparison.Ordinal);
            var equal = term.IndexOf('=', StringComparison.Ordinal);
            var (at, length, isEqual) = notEqual > 0 ? (notEqual, 2, false) : doubleEqual > 0 ? (doubleEqual, 2, true) : (equal, 1, true);
            if (at <= 0)
            {
                throw ApiException.BadRequest($"invalid field selector \"{text}\": term \"{term}\" needs an operator (=, ==, !=)");
            }

            selector._requirements.Add((term[..at].Trim().Split('.'), term[(at + length)..].Trim(), isEqual));
        }

        return selector;
    }

    public bool Matches(JsonObject value) => _requirements.TrueForAll(requirement =>
    {
        JsonNode? node = value;
        foreach (var segment in requirement.Path)
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }

        var actual = node is JsonValue scalar ? scalar.ToString() : string.Empty;
        return (actual == requirement.Value) == requirement.Equal;
    });
}
