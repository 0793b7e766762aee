using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Gpu.Tests.Fleets;

/// <summary>Small fleets and requests for tests: nodes "n0", "n1", … each with GPUs "n0-g0", "n0-g1", ….</summary>
internal static class TestFleet
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<NodeSpec> Nodes(int nodes, int gpusPerNode, string model = "H100", string pool = "pool", string prefix = "n",
        IReadOnlyDictionary<string, string>? labels = null) =>
        [.. Enumerable.Range(0, nodes).Select(n => new NodeSpec(
            $"{prefix}{n}",
            pool,
            labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = $"{prefix}{n}" },
            [.. Enumerable.Range(0, gpusPerNode).Select(g => new GpuSpec($"{prefix}{n}-g{g}", g, model))]))];

    public static ClusterState State(int nodes, int gpusPerNode, PlacementStrategy strategy = PlacementStrategy.CompactFirst, string model = "H100") =>
        new(Nodes(nodes, gpusPerNode, model), [new PoolSpec("pool", strategy)], GpuModelCatalog.Default);

    public static AllocationRequest Request(string worker, double tflops, double vramGib, QosLevel qos = QosLevel.Medium, int gpus = 1,
        string ns = "team") => new()
    {
        Namespace = ns,
        Workload = worker.Split('-')[0],
        Worker = worker,
        Pool = "pool",
        Qos = qos,
        GpuCount = gpus,
        Request = GpuResources.FromTflops(tflops, ByteSize.FromGibibytes(vramGib)),
        Limit = GpuResources.FromTflops(tflops, ByteSize.FromGibibytes(vramGib)),
    };

    public static AllocationRequest Whole(string worker, int gpus = 1, QosLevel qos = QosLevel.Medium) =>
        Request(worker, 989, 80, qos, gpus);
}
