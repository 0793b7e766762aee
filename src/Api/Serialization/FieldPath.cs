using System.Buffers;
using System.Globalization;
using System.Text;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Field paths as errors show them: <c>spec.cronScalingRules[0].start</c>, with names that contain special characters
/// bracketed (<c>metadata.labels['tensor-fusion.ai/workload']</c>). The spelling matches System.Text.Json's
/// <c>JsonException.Path</c> without the leading <c>$</c>, so serializer errors and validator errors line up.
/// </summary>
public static class FieldPath
{
    private static readonly SearchValues<char> SpecialCharacters =
        SearchValues.Create(['.', ' ', '\'', '/', '"', '[', ']', '(', ')', '\t', '\n', '\r', '\f', '\b', '\\', '\u0085', '\u2028', '\u2029']);

    public static string Property(string parent, string name)
    {
        if (name.AsSpan().IndexOfAny(SpecialCharacters) >= 0)
        {
            return $"{parent}['{name}']";
        }

        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>Turns a serializer path (<c>$.spec.qos</c>) into the display form (<c>spec.qos</c>).</summary>
    public static string FromJsonPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return string.Empty;
        }

        var path = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        return path.StartsWith('.') ? path[1..] : path;
    }

    /// <summary>Joins a prefix (such as <c>items[2]</c>) and a path relative to it.</summary>
    public static string Combine(string prefix, string path)
    {
        if (prefix.Length == 0)
        {
            return path;
        }

        if (path.Length == 0)
        {
            return prefix;
        }

        return path.StartsWith('[') ? prefix + path : prefix + "." + path;
    }

    /// <summary>Splits a display path into property names (strings) and list indices (ints).</summary>
    public static IReadOnlyList<object> Segments(string path)
    {
        var segments = new List<object>();
        var name = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '.')
            {
                Flush();
            }
            else if (c == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                Flush();
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end]);
                i = end + 1;
            }
            else if (c == '[')
            {
                Flush();
                var end = path.IndexOf(']', i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(int.TryParse(path.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture, out var index) ? index : -1);
                i = end;
            }
            else
            {
                name.Append(c);
            }
        }

        Flush();
        return segments;

        void Flush()
        {
            if (name.Length > 0)
            {
                segments.Add(name.ToString());
                name.Clear();
            }
        }
    }
}
