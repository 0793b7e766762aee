using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>
/// What a CDI-enabled container runtime does with the device names a DRA plugin returns: finds each
/// <c>vendor/class=name</c> in the spec files (<c>.json</c>, <c>.yaml</c>) of the CDI directories (a later directory
/// wins for the same kind, as /var/run/cdi over /etc/cdi) and merges the spec-wide and device container edits: env,
/// deviceNodes, mounts (in order, without repeats). An unknown device is an error naming it, as containerd's strict
/// CDI lookup is, except for a device of a simulated kind that has no spec at all: the simulated runtime stands in for
/// it with one device node <c>/dev/simulated/&lt;vendor&gt;/&lt;class&gt;/&lt;name&gt;</c>, so the container still shows
/// exactly which device it got.
/// </summary>
public static class CdiResolver
{
    public static JsonObject Resolve(IReadOnlyList<string> directories, IReadOnlyList<string> qualifiedNames, IReadOnlyList<string>? simulatedKinds = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(qualifiedNames);
        var specs = Load(directories);
        var env = new JsonArray();
        var deviceNodes = new JsonArray();
        var mounts = new JsonArray();
        var appliedSpecs = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        foreach (var qualified in qualifiedNames)
        {
            var equals = qualified.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == qualified.Length - 1 || qualified.IndexOf('/', StringComparison.Ordinal) is var slash && (slash <= 0 || slash > equals))
            {
                throw new DraPrepareException($"CDI device name \"{qualified}\" is not vendor.com/class=name");
            }

            var (kind, name) = (qualified[..equals], qualified[(equals + 1)..]);
            if (!specs.ContainsKey(kind) && simulatedKinds?.Contains(kind) == true)
            {
                Append(new JsonArray(new JsonObject { ["path"] = $"/dev/simulated/{kind}/{name}" }), deviceNodes);
                continue;
            }

            if (!specs.TryGetValue(kind, out var kindSpecs))
            {
                throw new DraPrepareException($"unresolvable CDI device {qualified}: no CDI spec of kind {kind} in {string.Join(", ", directories)}");
            }

            var (spec, device) = kindSpecs.Select(candidate => (candidate, Device(candidate, name))).LastOrDefault(match => match.Item2 is not null);
            if (device is null)
            {
                throw new DraPrepareException($"unresolvable CDI device {qualified}: the {kind} specs in {string.Join(", ", directories)} have no device {name}");
            }

            if (appliedSpecs.Add(spec!))
            {
                Merge(spec!["containerEdits"] as JsonObject, env, deviceNodes, mounts);
            }

            Merge(device["containerEdits"] as JsonObject, env, deviceNodes, mounts);
        }

        return new JsonObject
        {
            ["devices"] = new JsonArray([.. qualifiedNames.Select(name => (JsonNode)JsonValue.Create(name))]),
            ["env"] = env,
            ["deviceNodes"] = deviceNodes,
            ["mounts"] = mounts,
        };
    }

    /// <summary>Specs by kind, in the order a later one wins (directory order, then file name).</summary>
    private static Dictionary<string, List<JsonObject>> Load(IReadOnlyList<string> directories)
    {
        var specs = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory).Where(IsSpecFile).Order(StringComparer.Ordinal))
            {
                var spec = Parse(file);
                var kind = (spec["kind"] as JsonValue)?.ToString() ?? throw new DraPrepareException($"CDI spec {file} has no kind");
                if (!specs.TryGetValue(kind, out var list))
                {
                    list = [];
                    specs[kind] = list;
                }

                list.Add(spec);
            }
        }

        return specs;
    }

    private static bool IsSpecFile(string path) =>
        Path.GetExtension(path) is ".json" or ".yaml" or ".yml" && !Path.GetFileName(path).StartsWith('.');

    private static JsonObject Parse(string file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            var node = Path.GetExtension(file) == ".json" ? JsonNode.Parse(bytes) : RequestBody.ParseYaml(bytes);
            return node as JsonObject ?? throw new DraPrepareException($"CDI spec {file} is not an object");
        }
        catch (Exception failure) when (failure is JsonException or ApiException or IOException)
        {
            throw new DraPrepareException($"CDI spec {file} cannot be read: {failure.Message}", failure);
        }
    }

    private static JsonObject? Device(JsonObject spec, string name) =>
        (spec["devices"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(device => (device["name"] as JsonValue)?.ToString() == name);

    private static void Merge(JsonObject? edits, JsonArray env, JsonArray deviceNodes, JsonArray mounts)
    {
        if (edits is null)
        {
            return;
        }

        Append(edits["env"], env);
        Append(edits["deviceNodes"], deviceNodes);
        Append(edits["mounts"], mounts);
    }

    private static void Append(JsonNode? source, JsonArray target)
    {
        foreach (var item in source as JsonArray ?? [])
        {
            if (item is not null && !target.Any(existing => JsonNode.DeepEquals(existing, item)))
            {
                target.Add(item.DeepClone());
            }
        }
    }
}
