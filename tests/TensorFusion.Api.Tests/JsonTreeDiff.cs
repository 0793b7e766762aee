using System.Text.Json.Nodes;

namespace TensorFusion.Api.Tests;

/// <summary>The first place two JSON trees differ, as "path: expected X, got Y" (null when they are equal).</summary>
internal static class JsonTreeDiff
{
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (JsonObject left, JsonObject right):
                foreach (var (name, value) in left)
                {
                    if (!right.ContainsKey(name))
                    {
                        return $"{path}.{name}: missing in output (input {value?.ToJsonString()})";
                    }

                    if (FirstDifference(value, right[name], $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                var extra = right.Select(pair => pair.Key).FirstOrDefault(name => !left.ContainsKey(name));
                return extra is null ? null : $"{path}.{extra}: added in output ({right[extra]?.ToJsonString()})";
            case (JsonArray left, JsonArray right):
                if (left.Count != right.Count)
                {
                    return $"{path}: {left.Count} items in input, {right.Count} in output";
                }

                for (var i = 0; i < left.Count; i++)
                {
                    if (FirstDifference(left[i], right[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: input {expected?.ToJsonString()}, output {actual?.ToJsonString()}";
        }
    }
}
