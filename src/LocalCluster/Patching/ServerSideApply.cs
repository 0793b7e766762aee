using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Patching;

/// <summary>
/// Server-side apply (`application/apply-patch+yaml`), the subset this server keeps: each applier ("Apply" manager in
/// `metadata.managedFields`) owns the leaves of the configuration it last applied. Applying sets those leaves, removes
/// the ones the same manager applied before and no longer does (unless another applier also owns them), and fails
/// with 409 when it would change a value another applier owns, unless forced (then ownership moves). Equal values are
/// shared, not conflicts. Lists are owned whole. Writes by create/update/patch are not tracked as owners.
/// </summary>
public static class ServerSideApply
{
    private const string ApplyOperation = "Apply";

    /// <summary>The object after applying <paramref name="applied"/> to <paramref name="current"/> (null: it does not exist yet).</summary>
    public static JsonObject Apply(JsonObject? current, JsonObject applied, string manager, bool force, string now)
    {
        var result = current?.DeepClone().AsObject() ?? NewObject(applied);
        var metadata = result["metadata"] as JsonObject ?? [];
        result["metadata"] = metadata;
        var entries = metadata["managedFields"] is JsonArray existing ? existing.OfType<JsonObject>().ToList() : [];
        var owners = entries
            .Where(entry => Text(entry, "operation") == ApplyOperation && Text(entry, "manager") is not null)
            .GroupBy(entry => Text(entry, "manager")!)
            .ToDictionary(group => group.Key, group => FieldSet.FromFieldsV1(group.Last()["fieldsV1"] as JsonObject), StringComparer.Ordinal);
        var previous = owners.GetValueOrDefault(manager) ?? new FieldSet();
        var applying = FieldSet.Of(applied);

        var conflicts = applying.Paths
            .Where(path => !JsonNode.DeepEquals(ValueAt(applied, path), ValueAt(result, path)))
            .SelectMany(path => owners.Where(owner => owner.Key != manager && owner.Value.Overlaps(path)).Select(owner => (Manager: owner.Key, Path: path)))
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(conflicts);
        }

        foreach (var (other, path) in conflicts)
        {
            owners[other].Remove(path);
        }

        foreach (var path in previous.Paths.Where(path => !applying.Contains(path) && !owners.Any(owner => owner.Key != manager && owner.Value.Touches(path))))
        {
            RemoveAt(result, path);
        }

        foreach (var path in applying.Paths)
        {
            SetAt(result, path, ValueAt(applied, path)?.DeepClone());
        }

        result["apiVersion"] = applied["apiVersion"]?.DeepClone();
        result["kind"] = applied["kind"]?.DeepClone();
        if (applied["metadata"]?["resourceVersion"] is { } precondition)
        {
            // A resourceVersion in the applied configuration is a precondition, checked like any update's.
            metadata["resourceVersion"] = precondition.DeepClone();
        }

        owners[manager] = applying;
        metadata["managedFields"] = ManagedFields(entries, owners, manager, Text(applied, "apiVersion") ?? string.Empty, now);
        return result;
    }

    private static JsonObject NewObject(JsonObject applied)
    {
        var metadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "generateName" })
        {
            if (applied["metadata"]?[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        return new JsonObject { ["metadata"] = metadata };
    }

    /// <summary>Update entries stay as they were; Apply entries are rewritten from the owners (the caller's with the new time).</summary>
    private static JsonArray ManagedFields(List<JsonObject> entries, Dictionary<string, FieldSet> owners, string manager, string apiVersion, string now)
    {
        var result = new JsonArray();
        foreach (var entry in entries.Where(entry => Text(entry, "operation") != ApplyOperation))
        {
            result.Add(entry.DeepClone());
        }

        foreach (var (owner, fields) in owners.Where(owner => owner.Value.Count > 0).OrderBy(owner => owner.Key, StringComparer.Ordinal))
        {
            var earlier = entries.LastOrDefault(entry => Text(entry, "operation") == ApplyOperation && Text(entry, "manager") == owner);
            result.Add(new JsonObject
            {
                ["manager"] = owner,
                ["operation"] = ApplyOperation,
                ["apiVersion"] = owner == manager ? apiVersion : Text(earlier, "apiVersion"),
                ["time"] = owner == manager ? now : Text(earlier, "time"),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fields.ToFieldsV1(),
            });
        }

        return result;
    }

    private static JsonNode? ValueAt(JsonObject root, string[] path)
    {
        JsonNode? node = root;
        foreach (var segment in path)
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }

        return node;
    }

    private static void SetAt(JsonObject root, string[] path, JsonNode? value)
    {
        var node = root;
        foreach (var segment in path[..^1])
        {
            if (node[segment] is not JsonObject child)
            {
                child = [];
                node[segment] = child;
            }

            node = child;
        }

        // An applied empty object claims the field without wiping what others put inside it.
        if (value is JsonObject { Count: 0 } && node[path[^1]] is JsonObject)
        {
            return;
        }

        node[path[^1]] = value;
    }

    private static void RemoveAt(JsonObject root, string[] path)
    {
        if (ValueAt(root, path[..^1]) is JsonObject parent)
        {
            parent.Remove(path[^1]);
        }
    }

    private static string? Text(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static ApiException Conflict(List<(string Manager, string[] Path)> conflicts)
    {
        var described = conflicts.Select(conflict => (conflict.Manager, Field: "." + string.Join('.', conflict.Path))).ToList();
        var details = new JsonObject
        {
            ["causes"] = new JsonArray([.. described.Select(conflict => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{conflict.Manager}\"",
                ["field"] = conflict.Field,
            })]),
        };
        var summary = string.Join("\n", described.Select(conflict => $"- conflict with \"{conflict.Manager}\": {conflict.Field}"));
        return new ApiException(409, "Conflict",
            $"Apply failed with {described.Count} conflict{(described.Count == 1 ? string.Empty : "s")}:\n{summary}", details);
    }
}
