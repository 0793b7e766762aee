using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Mig;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Cluster;

/// <summary>
/// Live accounting for one GPU. Requests consume <see cref="Available"/>; limits add up in <see cref="LimitsAllocated"/>
/// and may reach <see cref="VirtualCapacity"/>. Only <see cref="ClusterState"/> mutates it.
/// </summary>
public sealed class GpuState
{
    private readonly List<string> _workers = [];

    internal GpuState(GpuSpec spec, NodeState node, GpuModel model, GpuResources virtualCapacity)
    {
        Name = spec.Name;
        Index = spec.Index;
        Node = node;
        Model = model;
        Running = spec.Running;
        UsedBy = spec.UsedBy;
        IsolationMode = spec.IsolationMode;
        Capacity = model.Capacity;
        Available = Capacity;
        VirtualCapacity = virtualCapacity;
        Mig = model.Mig is null ? null : new MigOccupancy(model.Mig);
    }

    public string Name { get; }

    public int Index { get; }

    public NodeState Node { get; }

    public GpuModel Model { get; }

    public bool Running { get; }

    public string? UsedBy { get; }

    public IsolationMode? IsolationMode { get; }

    public GpuResources Capacity { get; }

    public GpuResources VirtualCapacity { get; }

    public GpuResources Available { get; internal set; }

    public GpuResources LimitsAllocated { get; internal set; }

    public MigOccupancy? Mig { get; }

    /// <summary>Workers holding a share of this GPU, in the order they were placed.</summary>
    public IReadOnlyList<string> Workers => _workers;

    /// <summary>Shares that are not MIG instances; a GPU hosts either MIG instances or fractional shares, never both.</summary>
    public int FractionalShares { get; internal set; }

    public bool IsSchedulable => Running && (UsedBy is null || UsedBy == "tensor-fusion");

    public bool IsIdle => _workers.Count == 0 && Available == Capacity;

    /// <summary>
    /// Upstream's GPU score of usage: <c>clamp(round(0.7 × usedVram% + 0.3 × usedTflops%), 0, 100)</c>, where
    /// used% = 100 − available/capacity × 100. The free score used by spreading strategies is its complement, 100 − this.
    /// </summary>
    /// <example>H100 with 40 of 80 GiB and 98.9 of 989 TFLOPs available: used 50 % and 90 %; 0.7 × 50 + 0.3 × 90 = 62.</example>
    public int UsedScore { get; private set; }

    internal void AddWorker(string workerId) => _workers.Add(workerId);

    internal void RemoveWorker(string workerId) => _workers.Remove(workerId);

    internal void RecomputeScore()
    {
        var usedVram = Capacity.VramBytes == 0 ? 0 : 100.0 - (Available.VramBytes * 100.0 / Capacity.VramBytes);
        var usedTflops = Capacity.MilliTflops == 0 ? 0 : 100.0 - (Available.MilliTflops * 100.0 / Capacity.MilliTflops);
        var score = Math.Round((0.7 * usedVram) + (0.3 * usedTflops), MidpointRounding.AwayFromZero);
        UsedScore = (int)Math.Clamp(score, 0, 100);
    }
}
