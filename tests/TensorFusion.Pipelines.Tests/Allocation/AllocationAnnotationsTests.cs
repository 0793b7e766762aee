using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

public sealed class AllocationAnnotationsTests
{
    [Fact]
    public void Read_AfterFor_RoundTripsSharesPartitionsAndTime()
    {
        var pod = WorkerPods.Pending("mig-0", 0.5, "10Gi", extra: new() { [Annotations.Isolation] = "partitioned", [Annotations.GpuCount] = "2" });
        var request = WorkerRequestMapper.Map(pod).Request!;
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
        var share = new GpuResources(500, ByteSize.FromGibibytes(10));
        var allocation = new WorkerAllocation(request, "n0",
            [new GpuShare("n0-g0", share, share, new MigPlacement("1g.10gb", 3)), new GpuShare("n0-g1", share, share, new MigPlacement("1g.10gb", 0))], at);
        foreach (var (key, value) in AllocationAnnotations.For(allocation))
        {
            pod.Metadata.Annotations[key] = value;
        }

        pod.Spec.NodeName = "n0";
        var (read, error) = AllocationAnnotations.Read(pod);

        Assert.Null(error);
        Assert.Equal("500m", pod.Metadata.Annotations[Annotations.TflopsRequest]);
        Assert.Equal(allocation.Shares, read!.Shares);
        Assert.Equal((at, "n0", IsolationMode.Partitioned), (read.AllocatedAt, read.Node, read.Request.Isolation));
    }

    [Fact]
    public void Read_GpuIdsWithoutNode_TreatedAsNotPlaced()
    {
        var pod = WorkerPods.Pending("a-0", 1, "1Gi");
        pod.Metadata.Annotations[Annotations.GpuIds] = "n0-g0";

        Assert.Equal((null, null), AllocationAnnotations.Read(pod));
    }

    [Fact]
    public void Read_DamagedPartitions_ErrorNamesAnnotation()
    {
        var pod = WorkerPods.Pending("a-0", 1, "1Gi");
        pod.Spec.NodeName = "n0";
        pod.Metadata.Annotations[Annotations.GpuIds] = "n0-g0";
        pod.Metadata.Annotations[AllocationAnnotations.Partitions] = "garbage";

        var (_, error) = AllocationAnnotations.Read(pod);

        Assert.Contains(AllocationAnnotations.Partitions, error, StringComparison.Ordinal);
    }
}
