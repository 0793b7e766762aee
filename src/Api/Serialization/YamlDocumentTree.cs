using System.Text.Json.Nodes;

namespace TensorFusion.Api.Serialization;

/// <summary>One YAML document as a JSON tree, with the 1-based source line of every field path in it.</summary>
public sealed record YamlDocumentTree(int Index, int StartLine, JsonNode? Root, IReadOnlyDictionary<string, int> Lines)
{
    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor that has one.</summary>
    public int? LineOf(string path)
    {
        var current = path;
        while (true)
        {
            if (Lines.TryGetValue(current, out var line))
            {
                return line;
            }

            if (current.Length == 0)
            {
                return null;
            }

            current = Parent(current);
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        // A bracketed name may itself contain dots: cut at its opening bracket instead.
        if (path.EndsWith("']", StringComparison.Ordinal))
        {
            cut = path.LastIndexOf("['", StringComparison.Ordinal);
        }

        return cut <= 0 ? string.Empty : path[..cut];
    }
}
