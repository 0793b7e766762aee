using CsCheck;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Properties;

/// <summary>Generators for the property tests: a small mixed fleet and batches of fractional, whole, multi-GPU and MIG requests.</summary>
internal static class RandomBatches
{
    public static readonly Gen<PlacementStrategy> Strategy = Gen.Enum<PlacementStrategy>();

    /// <summary>One request: (kind, TFLOPs, VRAM GiB, QoS, GPU count, protection minutes).</summary>
    public static readonly Gen<AllocationRequest[]> Batch =
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 400], Gen.Int[1, 80], Gen.Enum<QosLevel>(), Gen.OneOf(1, 1, 2, 4), Gen.OneOf(0, 0, 90))
            .Array[1, 40]
            .Select(specs => specs.Select((spec, i) => Build(i, spec)).ToArray());

    public static ClusterState Fleet(PlacementStrategy strategy)
    {
        var nodes = TestFleet.Nodes(3, 4)
            .Concat(TestFleet.Nodes(1, 4, "A100-80GB", prefix: "a"))
            .Select(node => node with { HostMemoryBytes = 256L * ByteSize.Gibibyte })
            .ToArray();
        return new ClusterState(nodes, [new PoolSpec("pool", strategy)], GpuModelCatalog.Default);
    }

    private static AllocationRequest Build(int i, (int Kind, int Tflops, int Vram, QosLevel Qos, int Gpus, int Protect) spec)
    {
        var request = TestFleet.Request($"w{i}-0", spec.Tflops, spec.Vram, spec.Qos, gpus: 1) with
        {
            EvictionProtection = TimeSpan.FromMinutes(spec.Protect),
        };
        return spec.Kind switch
        {
            // Fractional with a limit up to 3× the request (oversubscribes into virtual capacity).
            0 => request with { Limit = GpuResources.FromTflops(spec.Tflops * 3, ByteSize.FromGibibytes(spec.Vram * 2)) },
            1 => request with { ComputePercentRequest = spec.Tflops % 100, Request = request.Request with { MilliTflops = 0 } },
            2 => request with { GpuCount = spec.Gpus, Request = GpuResources.FromTflops(300, ByteSize.FromGibibytes(70)), Limit = default },
            3 => request with { Isolation = IsolationMode.Partitioned, Request = GpuResources.FromTflops(spec.Tflops % 150, ByteSize.FromGibibytes(spec.Vram % 40)) },
            _ => request with { Isolation = IsolationMode.Shared, GpuCount = spec.Gpus },
        };
    }
}
