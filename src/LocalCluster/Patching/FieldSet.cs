using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Patching;

/// <summary>
/// The fields a manager owns, as paths of object keys down to a leaf (a scalar, a list, or an empty object), and their
/// FieldsV1 form in `metadata.managedFields` ({"f:spec":{"f:replicas":{}}}). Lists are owned whole (atomic).
/// </summary>
public sealed class FieldSet
{
    /// <summary>Server-owned identity fields: never part of an applied configuration's ownership.</summary>
    private static readonly HashSet<string> IgnoredMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    };

    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    public int Count => _paths.Count;

    public IEnumerable<string[]> Paths => _paths.Select(Split);

    /// <summary>The leaves of an applied configuration (apiVersion, kind, status and identity metadata excluded).</summary>
    public static FieldSet Of(JsonObject applied)
    {
        var set = new FieldSet();
        foreach (var (name, value) in applied)
        {
            if (name is "apiVersion" or "kind" or "status")
            {
                continue;
            }

            if (name == "metadata" && value is JsonObject metadata)
            {
                foreach (var (field, fieldValue) in metadata.Where(pair => !IgnoredMetadata.Contains(pair.Key)))
                {
                    set.Collect([name, field], fieldValue);
                }

                continue;
            }

            set.Collect([name], value);
        }

        return set;
    }

    /// <summary>Reads a FieldsV1 tree: "f:name" descends; an empty object or a "." key marks an owned field.</summary>
    public static FieldSet FromFieldsV1(JsonObject? tree)
    {
        var set = new FieldSet();
        if (tree is not null)
        {
            set.Read([], tree);
        }

        return set;
    }

    public bool Contains(string[] path) => _paths.Contains(Join(path));

    /// <summary>
    /// Whether writing <paramref name="path"/> touches a field of this set: the field itself, or a leaf (a list, a
    /// scalar) that contains it. Owning a field inside an empty object that someone else applies is not a clash.
    /// </summary>
    public bool Overlaps(string[] path) => _paths.Select(Split).Any(owned => IsPrefix(owned, path));

    /// <summary>Whether this set owns <paramref name="path"/>, anything inside it, or a leaf that contains it.</summary>
    public bool Touches(string[] path) => _paths.Select(Split).Any(owned => IsPrefix(owned, path) || IsPrefix(path, owned));

    public void Remove(string[] path) => _paths.RemoveWhere(owned => IsPrefix(Split(owned), path));

    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in _paths.Order(StringComparer.Ordinal).Select(Split))
        {
            var node = root;
            foreach (var segment in path)
            {
                if (node["f:" + segment] is not JsonObject child)
                {
                    child = [];
                    node["f:" + segment] = child;
                }

                node = child;
            }
        }

        return root;
    }

    private void Collect(string[] path, JsonNode? value)
    {
        if (value is JsonObject { Count: > 0 } obj)
        {
            foreach (var (name, child) in obj)
            {
                Collect([.. path, name], child);
            }

            return;
        }

        _paths.Add(Join(path));
    }

    private void Read(string[] path, JsonObject tree)
    {
        var children = tree.Where(pair => pair.Key.StartsWith("f:", StringComparison.Ordinal)).ToList();
        if (path.Length > 0 && (children.Count == 0 || tree.ContainsKey(".")))
        {
            _paths.Add(Join(path));
        }

        foreach (var (key, child) in children)
        {
            if (child is JsonObject childTree)
            {
                Read([.. path, key[2..]], childTree);
            }
        }
    }

    private static bool IsPrefix(string[] prefix, string[] path) => prefix.Length <= path.Length && prefix.AsSpan().SequenceEqual(path.AsSpan(0, prefix.Length));

    // Object keys cannot contain a NUL character in Kubernetes objects, so it separates path segments safely.
    private static string Join(string[] path) => string.Join('\0', path);

    private static string[] Split(string path) => path.Split('\0');
}
