using System.Globalization;
using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// Validation ratcheting, as Kubernetes does for custom resources (beta in 1.28, on by default since 1.30): on an update,
/// an error at a field whose value the update did not change is dropped, so an object stored before a rule existed (or
/// written around the API) can still be updated — its status written, a finalizer removed — without first fixing a
/// field nobody touched. A changed or new invalid value is still refused.
/// </summary>
internal static class ValidationRatcheting
{
    public static void DropUnchanged(SchemaValidation result, JsonObject value, JsonObject old)
    {
        result.Errors.RemoveAll(error => Resolve(value, error.Field, out var now) && Resolve(old, error.Field, out var before)
            ? JsonNode.DeepEquals(now, before)
            : !Resolve(value, error.Field, out _) && !Resolve(old, error.Field, out _) && ParentUnchanged(value, old, error.Field));
    }

    /// <summary>
    /// A field missing on both sides (a Required error) is ratcheted only when the object that misses it is itself
    /// unchanged: an allocation result added by this very write must carry its required fields.
    /// </summary>
    private static bool ParentUnchanged(JsonObject value, JsonObject old, string field)
    {
        var dot = field.LastIndexOf('.');
        return dot > 0 && Resolve(value, field[..dot], out var now) && Resolve(old, field[..dot], out var before) && JsonNode.DeepEquals(now, before);
    }

    /// <summary>Follows a field path such as <c>spec.resources.requests.tflops</c> or <c>spec.items[1]</c>; false when absent.</summary>
    private static bool Resolve(JsonNode? node, string path, out JsonNode? found)
    {
        found = null;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            var indices = new List<int>();
            while (name.EndsWith(']') && name.LastIndexOf('[') is var open and >= 0
                   && int.TryParse(name.AsSpan(open + 1, name.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indices.Insert(0, index);
                name = name[..open];
            }

            if (name.Length > 0)
            {
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
                {
                    return false;
                }
            }

            foreach (var index in indices)
            {
                if (node is not JsonArray array || index >= array.Count)
                {
                    return false;
                }

                node = array[index];
            }
        }

        found = node;
        return true;
    }
}
