using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Requests;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

public sealed class WorkerRequestMapperTests
{
    [Fact]
    public void Map_FullAnnotations_PerGpuRequestInMilliTflopsAndBytes()
    {
        var pod = WorkerPods.Pending("llm-0", 12.5, "16Gi", qos: "critical", extra: new()
        {
            [Annotations.GpuCount] = "2",
            [Annotations.Isolation] = "hard",
            [Annotations.EvictionProtection] = "30m",
            [Annotations.GpuModel] = "H100",
        });

        var request = WorkerRequestMapper.Map(pod).Request!;

        // 12.5 TFLOPs = 12500 milli-TFLOPs; 16Gi = 17179869184 bytes.
        Assert.Equal((12_500L, 17_179_869_184L), (request.Request.MilliTflops, request.Request.VramBytes));
        Assert.Equal((2, QosLevel.Critical, IsolationMode.Hard), (request.GpuCount, request.Qos, request.Isolation));
        Assert.Equal((TimeSpan.FromMinutes(30), "H100", "llm", "team/llm-0"), (request.EvictionProtection, request.GpuModel, request.Workload, request.WorkerId));
    }

    [Theory]
    [InlineData(Annotations.Qos, "urgent", "annotation tensor-fusion.ai/qos 'urgent' must be one of low, medium, high, critical")]
    [InlineData(Annotations.GpuCount, "-1", "annotation tensor-fusion.ai/gpu-count '-1' is not a positive integer")]
    [InlineData(Annotations.TflopsRequest, "ten", "annotation tensor-fusion.ai/tflops-request 'ten' is not a non-negative quantity")]
    [InlineData(Annotations.EvictionProtection, "soon", "annotation tensor-fusion.ai/eviction-protection 'soon' is not a duration")]
    public void Map_BadAnnotation_ErrorNamesPodAndAnnotation(string key, string value, string expected)
    {
        var pod = WorkerPods.Pending("llm-0", 10, "1Gi", extra: new() { [key] = value });

        var mapping = WorkerRequestMapper.Map(pod);

        Assert.Null(mapping.Request);
        Assert.StartsWith("pod team/llm-0: ", mapping.Error, StringComparison.Ordinal);
        Assert.Contains(expected, mapping.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_NoWorkloadLabel_Error()
    {
        var pod = WorkerPods.Pending("llm-0", 10, "1Gi");
        pod.Metadata.Labels.Clear();

        Assert.Equal($"pod team/llm-0: label {Labels.Workload} is missing", WorkerRequestMapper.Map(pod).Error);
    }

    [Fact]
    public void IsPendingWorker_BoundOrOtherScheduler_False()
    {
        var pending = WorkerPods.Pending("a-0", 1, "1Gi");
        var bound = WorkerPods.Pending("a-1", 1, "1Gi");
        bound.Spec.NodeName = "n0";
        var other = WorkerPods.Pending("a-2", 1, "1Gi");
        other.Spec = new V1PodSpec { SchedulerName = "default-scheduler" };

        Assert.Equal((true, false, false),
            (WorkerRequestMapper.IsPendingWorker(pending), WorkerRequestMapper.IsPendingWorker(bound), WorkerRequestMapper.IsPendingWorker(other)));
    }
}
