using TensorFusion.Gpu.Catalog;

namespace TensorFusion.Gpu.Cluster;

/// <summary>
/// The allocator's view of a fleet: nodes, GPUs, placed workers, and an index of nodes by pool, model and score.
/// All mutation goes through <see cref="Apply"/> and <see cref="Release"/>, which keep the index current.
/// </summary>
public sealed class ClusterState
{
    private readonly List<NodeState> _nodes = [];
    private readonly Dictionary<string, NodeState> _nodesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GpuState> _gpus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerAllocation> _allocations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Pool, string Model), NodeBucketIndex> _index = [];
    private readonly Dictionary<string, string[]> _modelsByPool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeState>> _nodesByPool = new(StringComparer.Ordinal);

    /// <summary>Builds an empty state; GPU model names are resolved through <paramref name="catalog"/> (errors name the GPU).</summary>
    public ClusterState(IEnumerable<NodeSpec> nodes, IEnumerable<PoolSpec> pools, GpuModelCatalog catalog)
    {
        Catalog = catalog;
        var poolSpecs = pools.ToDictionary(pool => pool.Name, StringComparer.Ordinal);
        foreach (var spec in nodes)
        {
            if (_nodesByName.ContainsKey(spec.Name))
            {
                throw new ArgumentException($"node '{spec.Name}' appears twice in the inventory", nameof(nodes));
            }

            var pool = poolSpecs.TryGetValue(spec.Pool, out var known) ? known : new PoolSpec(spec.Pool);
            poolSpecs[spec.Pool] = pool;
            var node = new NodeState(_nodes.Count, spec, pool);
            var gpus = new List<GpuState>(spec.Gpus.Count);
            foreach (var gpuSpec in spec.Gpus)
            {
                var model = catalog.TryFind(gpuSpec.Model) ?? throw new ArgumentException(
                    $"node '{spec.Name}' GPU '{gpuSpec.Name}': unknown GPU model '{gpuSpec.Model}'", nameof(nodes));
                if (_gpus.ContainsKey(gpuSpec.Name))
                {
                    throw new ArgumentException($"GPU '{gpuSpec.Name}' appears twice in the inventory", nameof(nodes));
                }

                var virtualCapacity = pool.Ratios.VirtualCapacity(model.Capacity, spec.HostMemoryBytes, spec.HostDiskBytes, spec.Gpus.Count);
                var gpu = new GpuState(gpuSpec, node, model, virtualCapacity);
                gpus.Add(gpu);
                _gpus.Add(gpu.Name, gpu);
            }

            node.Gpus = gpus;
            node.Models = [.. gpus.Select(gpu => gpu.Model.Name).Distinct().Order(StringComparer.Ordinal)];
            _nodes.Add(node);
            _nodesByName.Add(node.Name, node);
            if (!_nodesByPool.TryGetValue(pool.Name, out var poolNodes))
            {
                _nodesByPool[pool.Name] = poolNodes = [];
            }

            poolNodes.Add(node);
            node.RecomputeSummary();
            Reindex(node);
        }

        Pools = poolSpecs;
        foreach (var group in _nodes.GroupBy(node => node.Pool.Name))
        {
            _modelsByPool[group.Key] = [.. group.SelectMany(node => node.Models).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    public GpuModelCatalog Catalog { get; }

    public IReadOnlyDictionary<string, PoolSpec> Pools { get; }

    public IReadOnlyList<NodeState> Nodes => _nodes;

    public IReadOnlyCollection<GpuState> Gpus => _gpus.Values;

    public IReadOnlyDictionary<string, WorkerAllocation> Allocations => _allocations;

    public GpuState? FindGpu(string name) => _gpus.GetValueOrDefault(name);

    public NodeState? FindNode(string name) => _nodesByName.GetValueOrDefault(name);

    /// <summary>Nodes of a pool in inventory order.</summary>
    public IReadOnlyList<NodeState> NodesIn(string pool) => _nodesByPool.GetValueOrDefault(pool) ?? (IReadOnlyList<NodeState>)[];

    /// <summary>Models present in a pool, in name order.</summary>
    public IReadOnlyList<string> ModelsIn(string pool) => _modelsByPool.GetValueOrDefault(pool) ?? [];

    /// <summary>The score-bucket index of a pool and model, or null when the pool has no such GPUs.</summary>
    internal NodeBucketIndex? IndexOf(string pool, string model) => _index.GetValueOrDefault((pool, model));

    internal NodeState NodeAt(int ordinal) => _nodes[ordinal];

    /// <summary>
    /// Records a placement. Returns the conflicts it creates (over capacity, overlapping MIG slices, unknown GPU, duplicate
    /// worker); the allocator only applies conflict-free placements, a rebuild applies what pods say and reports the rest.
    /// </summary>
    public IReadOnlyList<AllocationConflict> Apply(WorkerAllocation allocation)
    {
        List<AllocationConflict>? conflicts = null;
        if (!_allocations.TryAdd(allocation.WorkerId, allocation))
        {
            return [new AllocationConflict("-", [allocation.WorkerId], $"worker {allocation.WorkerId} is recorded twice; the second record was ignored")];
        }

        var node = _nodesByName.GetValueOrDefault(allocation.Node);
        foreach (var share in allocation.Shares)
        {
            if (!_gpus.TryGetValue(share.Gpu, out var gpu))
            {
                (conflicts ??= []).Add(new AllocationConflict(share.Gpu, [allocation.WorkerId], $"worker {allocation.WorkerId} holds unknown GPU {share.Gpu}"));
                continue;
            }

            gpu.Available -= share.Request;
            gpu.LimitsAllocated += share.Limit;
            gpu.AddWorker(allocation.WorkerId);
            var overlaps = false;
            if (share.Partition is { } partition && gpu.Mig?.Geometry.FindProfile(partition.Profile) is { } profile)
            {
                overlaps = !gpu.Mig.Occupy(profile, partition.Start);
            }
            else
            {
                gpu.FractionalShares++;
                if (share.Partition is { } unknown)
                {
                    (conflicts ??= []).Add(new AllocationConflict(gpu.Name, [allocation.WorkerId],
                        $"worker {allocation.WorkerId} holds MIG profile {unknown.Profile} that GPU {gpu.Name} ({gpu.Model.Name}) does not offer"));
                }
            }

            if (overlaps || gpu.Available.MilliTflops < 0 || gpu.Available.VramBytes < 0 || !gpu.LimitsAllocated.FitsWithin(gpu.VirtualCapacity))
            {
                (conflicts ??= []).Add(DescribeConflict(gpu, overlaps));
            }

            node ??= gpu.Node;
        }

        if (node is not null)
        {
            node.AddAllocation(allocation);
            node.RecomputeSummary();
            Reindex(node);
        }

        return conflicts ?? (IReadOnlyList<AllocationConflict>)[];
    }

    /// <summary>Removes a worker's placement, restoring exactly what it consumed; null when the worker is unknown.</summary>
    public WorkerAllocation? Release(string workerId)
    {
        if (!_allocations.Remove(workerId, out var allocation))
        {
            return null;
        }

        NodeState? node = null;
        foreach (var share in allocation.Shares)
        {
            if (!_gpus.TryGetValue(share.Gpu, out var gpu))
            {
                continue;
            }

            gpu.Available += share.Request;
            gpu.LimitsAllocated -= share.Limit;
            gpu.RemoveWorker(workerId);
            if (share.Partition is { } partition && gpu.Mig?.Geometry.FindProfile(partition.Profile) is { } profile)
            {
                gpu.Mig.Vacate(profile, partition.Start);
            }
            else
            {
                gpu.FractionalShares--;
            }

            node = gpu.Node;
        }

        node ??= _nodesByName.GetValueOrDefault(allocation.Node);
        if (node is not null)
        {
            node.RemoveAllocation(allocation);
            node.RecomputeSummary();
            Reindex(node);
        }

        return allocation;
    }

    /// <summary>Rebuilds state from recorded allocations (as on worker pods), reporting every conflict instead of hiding it.</summary>
    public static RebuildResult Rebuild(
        IEnumerable<NodeSpec> nodes, IEnumerable<PoolSpec> pools, GpuModelCatalog catalog, IEnumerable<WorkerAllocation> allocations)
    {
        var state = new ClusterState(nodes, pools, catalog);
        var conflicts = new List<AllocationConflict>();
        foreach (var allocation in allocations)
        {
            conflicts.AddRange(state.Apply(allocation));
        }

        return new RebuildResult(state, conflicts);
    }

    private static AllocationConflict DescribeConflict(GpuState gpu, bool overlaps)
    {
        var used = gpu.Capacity - gpu.Available;
        var message = overlaps
            ? $"GPU {gpu.Name}: MIG instances of {string.Join(", ", gpu.Workers)} overlap or exceed the slice budget"
            : $"GPU {gpu.Name}: workers {string.Join(", ", gpu.Workers)} request {used} but the GPU holds {gpu.Capacity}" +
              $" (limits {gpu.LimitsAllocated} vs virtual {gpu.VirtualCapacity})";
        return new AllocationConflict(gpu.Name, [.. gpu.Workers], message);
    }

    private void Reindex(NodeState node)
    {
        var score = node.MaxFreeMilliTflops > 0 && node.MaxFreeVramBytes > 0 ? node.UsedScoreSum : -1;
        if (score == node.IndexedScore)
        {
            if (score >= 0)
            {
                // Same bucket, but free VRAM may have grown: keep the bucket's bound an upper bound.
                foreach (var model in node.Models)
                {
                    _index[(node.Pool.Name, model)].Add(score, node.Ordinal, node.MaxFreeVramBytes);
                }
            }

            return;
        }

        foreach (var model in node.Models)
        {
            if (!_index.TryGetValue((node.Pool.Name, model), out var bucket))
            {
                bucket = new NodeBucketIndex();
                _index.Add((node.Pool.Name, model), bucket);
            }

            if (node.IndexedScore >= 0)
            {
                bucket.Remove(node.IndexedScore, node.Ordinal);
            }

            if (score >= 0)
            {
                bucket.Add(score, node.Ordinal, node.MaxFreeVramBytes);
            }
        }

        node.IndexedScore = score;
    }
}
