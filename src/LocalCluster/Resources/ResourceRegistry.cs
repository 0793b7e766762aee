using System.Collections.Immutable;

namespace TensorFusion.LocalCluster.Resources;

/// <summary>
/// What is served right now, keyed by group/version/plural. Readers take an immutable snapshot; CRD writes swap it,
/// so a new resource is served from the very next request.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ResourceType> _byPath;
    private ImmutableDictionary<string, ImmutableArray<ResourceType>> _byCrd = ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty;

    public ResourceRegistry()
    {
        _byPath = BuiltinResources.All.ToImmutableDictionary(PathKey, StringComparer.Ordinal);
    }

    public IEnumerable<ResourceType> All => _byPath.Values;

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault(Key(group, version, plural));

    /// <summary>All versions of the resource stored under <paramref name="storageId"/>.</summary>
    public ResourceType? FindByStorageId(string storageId) =>
        _byPath.Values.FirstOrDefault(type => type.StorageId == storageId);

    public IReadOnlyList<string> GroupVersions(string group) =>
        [.. _byPath.Values.Where(type => type.Group == group).Select(type => type.Version).Distinct().OrderByDescending(v => v, StringComparer.Ordinal)];

    /// <summary>Serves (or re-serves) every version of a CRD, replacing what that CRD served before.</summary>
    public void ServeCustomResource(string crdName, IReadOnlyList<ResourceType> versions)
    {
        lock (_gate)
        {
            var builder = _byPath.ToBuilder();
            if (_byCrd.TryGetValue(crdName, out var previous))
            {
                foreach (var type in previous)
                {
                    builder.Remove(PathKey(type));
                }
            }

            foreach (var type in versions)
            {
                builder[PathKey(type)] = type;
            }

            _byPath = builder.ToImmutable();
            _byCrd = _byCrd.SetItem(crdName, [.. versions]);
        }
    }

    public IReadOnlyList<ResourceType> StopServing(string crdName)
    {
        lock (_gate)
        {
            if (!_byCrd.TryGetValue(crdName, out var previous))
            {
                return [];
            }

            _byPath = _byPath.RemoveRange(previous.Select(PathKey));
            _byCrd = _byCrd.Remove(crdName);
            return previous;
        }
    }

    private static string PathKey(ResourceType type) => Key(type.Group, type.Version, type.Plural);

    private static string Key(string group, string version, string plural) => $"{group}/{version}/{plural}";
}
