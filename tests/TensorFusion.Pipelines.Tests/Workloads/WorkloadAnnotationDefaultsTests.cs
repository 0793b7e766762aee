using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

public sealed class WorkloadAnnotationDefaultsTests
{
    private static TensorFusionWorkload Workload(GpuResourceRequirements? recommendation = null, bool resizeInPlace = true) => new()
    {
        Metadata = new V1ObjectMeta { Name = "llm", NamespaceProperty = "team" },
        Spec = new WorkloadProfileSpec
        {
            PoolName = "pool",
            Qos = QosLevel.High,
            GpuCount = 2,
            Resources = new GpuResourceRequirements
            {
                Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("20"), Vram = new ResourceQuantity("8Gi") },
                Limits = new GpuResourceAmount { Tflops = new ResourceQuantity("40"), Vram = new ResourceQuantity("16Gi") },
            },
            AutoScalingConfig = new AutoScalingConfig
            {
                AutoSetResources = new AutoSetResources { Enable = true, TargetResource = resizeInPlace ? TargetResource.All : null },
            },
        },
        Status = recommendation is null ? null : new TensorFusionWorkloadStatus { Recommendation = recommendation },
    };

    private static V1Pod BarePod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "llm-tf-worker-0", NamespaceProperty = "team", Labels = new Dictionary<string, string> { [Labels.Workload] = "llm" } },
        Spec = new V1PodSpec { SchedulerName = WorkerRequestMapper.SchedulerName, Containers = [] },
    };

    [Fact]
    public void Map_PodWithoutAnnotations_ResourcesFromWorkloadSpec()
    {
        var request = WorkerRequestMapper.Map(WorkloadAnnotationDefaults.StampOnto(BarePod(), Workload())).Request!;

        // 20 TFLOPs = 20000 milli; 16Gi limit = 17179869184 bytes; 2 GPUs, high QoS, pool from spec.poolName.
        Assert.Equal((20_000L, 17_179_869_184L, 2, Gpu.Requests.QosLevel.High, "pool"),
            (request.Request.MilliTflops, request.Limit.VramBytes, request.GpuCount, request.Qos, request.Pool));
    }

    [Fact]
    public void Map_WorkloadWithRecommendation_NewWorkerStartsWithIt()
    {
        var recommendation = new GpuResourceRequirements
        {
            Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("12"), Vram = new ResourceQuantity("4Gi") },
            Limits = new GpuResourceAmount { Tflops = new ResourceQuantity("12"), Vram = new ResourceQuantity("4Gi") },
        };

        var request = WorkerRequestMapper.Map(WorkloadAnnotationDefaults.StampOnto(BarePod(), Workload(recommendation))).Request!;

        Assert.Equal(12_000L, request.Request.MilliTflops);
    }

    [Fact]
    public void Map_RecommendOnlyWorkload_NewWorkerKeepsTheSpec()
    {
        var recommendation = new GpuResourceRequirements
        {
            Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("12"), Vram = new ResourceQuantity("4Gi") },
        };

        // autoSetResources without targetResource only records recommendations; workers keep spec's 20 TFLOPs.
        var request = WorkerRequestMapper.Map(WorkloadAnnotationDefaults.StampOnto(BarePod(), Workload(recommendation, resizeInPlace: false))).Request!;

        Assert.Equal(20_000L, request.Request.MilliTflops);
    }

    [Fact]
    public void Map_PodAnnotation_WinsOverWorkload()
    {
        var pod = BarePod();
        pod.Metadata.Annotations = new Dictionary<string, string> { [Annotations.TflopsRequest] = "5" };

        Assert.Equal(5_000L, WorkerRequestMapper.Map(WorkloadAnnotationDefaults.StampOnto(pod, Workload())).Request!.Request.MilliTflops);
    }
}
