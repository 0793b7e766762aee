using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: a JSON merge patch where the well-known lists merge element by element on
/// their merge key (containers/env/volumes by name, container ports by containerPort, conditions by type, ...), with
/// the `$patch: delete|replace`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives.
/// The merge key is chosen by field name, not by full schema path.
/// </summary>
public static class StrategicMergePatch
{
    private static readonly Dictionary<string, string[]> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["volumes"] = ["name"],
        ["env"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["ports"] = ["containerPort", "port", "name"],
        ["imagePullSecrets"] = ["name"],
        ["conditions"] = ["type"],
        ["ownerReferences"] = ["uid"],
        ["hostAliases"] = ["ip"],
        ["topologySpreadConstraints"] = ["topologyKey"],
        ["containerStatuses"] = ["name"],
        ["initContainerStatuses"] = ["name"],
    };

    private static readonly HashSet<string> MergedPrimitiveLists = ["finalizers"];

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (patchObject["$patch"]?.ToString() == "replace")
        {
            var replacement = patchObject.DeepClone().AsObject();
            replacement.Remove("$patch");
            return replacement;
        }

        var result = target as JsonObject ?? [];
        if (patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(item => item?.ToString()).ToHashSet();
            foreach (var key in result.Select(pair => pair.Key).Where(key => !keep.Contains(key)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (name, value) in patchObject)
        {
            if (name.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = name["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray removals)
                {
                    foreach (var item in list.Where(item => removals.Any(removal => JsonNode.DeepEquals(removal, item))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (name.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            var current = result[name];
            var merged = value is JsonArray patchList && current is JsonArray currentList
                ? MergeList(name, currentList, patchList)
                : Apply(current, value);
            if (!ReferenceEquals(merged, current))
            {
                result[name] = merged;
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray current, JsonArray patch)
    {
        if (MergedPrimitiveLists.Contains(field))
        {
            var merged = current.Select(item => item!.DeepClone()).ToList();
            merged.AddRange(patch.Where(item => !merged.Any(existing => JsonNode.DeepEquals(existing, item))).Select(item => item!.DeepClone()));
            return [.. merged];
        }

        var key = MergeKeys.TryGetValue(field, out var candidates)
            ? candidates.FirstOrDefault(candidate => patch.OfType<JsonObject>().Any(item => item.ContainsKey(candidate)))
            : null;
        if (key is null)
        {
            return (JsonArray)patch.DeepClone();
        }

        var result = current.Select(item => item?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var index = result.FindIndex(existing => existing is JsonObject obj && JsonNode.DeepEquals(obj[key], item[key]));
            if (item["$patch"]?.ToString() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                result[index] = Apply(result[index], item);
                (result[index] as JsonObject)?.Remove("$patch");
            }
            else
            {
                var added = item.DeepClone().AsObject();
                added.Remove("$patch");
                result.Add(added);
            }
        }

        return [.. result];
    }
}
