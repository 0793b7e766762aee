using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json patch must be an array of operations");
        }

        var root = new JsonObject { ["root"] = target };
        for (var index = 0; index < operations.Count; index++)
        {
            if (operations[index] is not JsonObject operation || operation["op"]?.ToString() is not { } op || operation["path"]?.ToString() is not { } path)
            {
                throw ApiException.BadRequest($"json patch operation {index}: 'op' and 'path' are required");
            }

            switch (op)
            {
                case "add":
                    Add(root, path, Value(operation, index));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(operation, index));
                    break;
                case "move":
                    var moved = Remove(root, From(operation, index));
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Resolve(root, From(operation, index))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"json patch test operation {index} failed at '{path}'");
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"json patch operation {index}: unknown op '{op}'");
            }
        }

        return root["root"] ?? throw ApiException.BadRequest("json patch removed the whole object");
    }

    private static JsonNode? Value(JsonObject operation, int index) =>
        operation.ContainsKey("value") ? operation["value"]?.DeepClone() : throw ApiException.BadRequest($"json patch operation {index}: 'value' is required");

    private static string From(JsonObject operation, int index) =>
        operation["from"]?.ToString() ?? throw ApiException.BadRequest($"json patch operation {index}: 'from' is required");

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string path)
    {
        var tokens = Tokens(path);
        JsonNode? node = root;
        var last = "root";
        foreach (var token in tokens)
        {
            node = Child(node, last, path);
            last = token;
        }

        return (node ?? throw ApiException.BadRequest($"json patch path '{path}' does not exist"), last);
    }

    private static JsonNode? Resolve(JsonObject root, string path)
    {
        var (parent, token) = Parent(root, path);
        return Child(parent, token, path);
    }

    private static JsonNode? Child(JsonNode? node, string token, string path) => node switch
    {
        JsonObject obj when obj.ContainsKey(token) => obj[token],
        JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
        _ => throw new ApiException(422, "Invalid", $"json patch path '{path}' does not exist"),
    };

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(token);
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(token, out var index) && index >= 0 && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"json patch path '{path}' cannot be added to");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Parent(root, path);
        var existing = Child(parent, token, path);
        if (parent is JsonObject obj)
        {
            obj.Remove(token);
        }
        else if (parent is JsonArray array)
        {
            array.RemoveAt(int.Parse(token, System.Globalization.CultureInfo.InvariantCulture));
        }

        return existing;
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiException.BadRequest($"json patch path '{path}' must start with '/'");
        }

        return [.. path[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }
}
