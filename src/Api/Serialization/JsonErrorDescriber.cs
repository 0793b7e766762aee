using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Turns a serializer failure into a field path and a message a person can act on, instead of System.Text.Json's
/// "could not be converted to System.Int32".
/// </summary>
internal static partial class JsonErrorDescriber
{
    public static (string Path, string Message) Describe(JsonException exception, Type rootType, JsonNode? root)
    {
        var path = FieldPath.FromJsonPath(exception.Path);
        if (exception is FieldValueException)
        {
            return (path, exception.Message);
        }

        var unmapped = UnmappedProperty().Match(exception.Message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups["name"].Value;
            var parentPath = path.EndsWith(name, StringComparison.Ordinal) && path != name
                ? path[..^name.Length].TrimEnd('.')
                : path == name ? string.Empty : path;
            var fieldPath = FieldPath.Property(parentPath, name);
            var parentType = ClrFieldTypes.TypeAt(rootType, FieldPath.Segments(parentPath));
            return (fieldPath, "unknown field" + Suggestion(parentType, name));
        }

        var segments = FieldPath.Segments(path);
        var expected = ClrFieldTypes.TypeAt(rootType, segments);
        var actual = NodeAt(root, segments);
        return (path, $"expected {ClrFieldTypes.Describe(expected)}, got {JsonTokenNames.Describe(actual)}");
    }

    private static string Suggestion(Type? parentType, string name)
    {
        if (parentType is null)
        {
            return string.Empty;
        }

        var known = ClrFieldTypes.JsonProperties(ClrFieldTypes.Unwrap(parentType)).Select(ClrFieldTypes.JsonName).ToList();
        var best = known
            .Select(candidate => (candidate, distance: EditDistance(candidate.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(pair => pair.distance <= Math.Max(1, name.Length / 4))
            .OrderBy(pair => pair.distance)
            .Select(pair => pair.candidate)
            .FirstOrDefault();
        return best is null ? string.Empty : $"; did you mean \"{best}\"?";
    }

    private static JsonNode? NodeAt(JsonNode? root, IReadOnlyList<object> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            current = (segment, current) switch
            {
                (string name, JsonObject node) => node[name],
                (int index, JsonArray node) when index >= 0 && index < node.Count => node[index],
                _ => null,
            };
        }

        return current;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex("The JSON property '(?<name>.+?)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedProperty();
}
