using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Mig;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>A request with everything derived once per decision: resolved model, index set, MIG ranking, strategy.</summary>
internal sealed class RequestContext
{
    private Dictionary<GpuModel, IReadOnlyList<MigProfile>>? _profiles;
    private int _affinityNode = -1;
    private bool _affinityMatches;

    public RequestContext(AllocationRequest request, GpuModel? model, PoolSpec pool)
    {
        Request = request;
        Model = model;
        Pool = pool;
        Indices = request.GpuIndices is { Count: > 0 } indices ? [.. indices] : null;
        GpuCount = Math.Max(1, request.GpuCount);
    }

    public AllocationRequest Request { get; }

    public GpuModel? Model { get; }

    public PoolSpec Pool { get; }

    public HashSet<int>? Indices { get; }

    public int GpuCount { get; }

    /// <summary>Packing strategies visit the fullest nodes first; LowLoadFirst visits the emptiest first.</summary>
    public bool NodesDescending => Pool.Strategy != PlacementStrategy.LowLoadFirst;

    /// <summary>CompactFirst prefers the fullest GPU on the chosen node; the others prefer the emptiest.</summary>
    public bool GpusDescending => Pool.Strategy == PlacementStrategy.CompactFirst;

    public IReadOnlyList<MigProfile> ProfilesFor(GpuModel model)
    {
        _profiles ??= [];
        if (!_profiles.TryGetValue(model, out var ranked))
        {
            ranked = model.Mig is null
                ? []
                : MigProfileChooser.Rank(model.Mig, model.Capacity, Request.RequestOn(model.Capacity), Request.PartitionTemplate);
            _profiles[model] = ranked;
        }

        return ranked;
    }

    public bool AffinityMatches(NodeState node)
    {
        if (_affinityNode != node.Ordinal)
        {
            _affinityNode = node.Ordinal;
            _affinityMatches = NodeSelectorTerm.AnyMatches(Request.NodeAffinity, node.Labels);
        }

        return _affinityMatches;
    }
}
