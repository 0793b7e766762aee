using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Scheduling;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Pipelines.Allocation;
using ApiQuota = TensorFusion.Api.Quotas.GpuResourceQuota;
using TensorFusion.Api.Quotas;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>The rules the operator and <c>simulate</c> share: one test per rule that used to differ between them.</summary>
public sealed class MappingRulesTests
{
    [Fact]
    public void Map_NoQosAndRequestsEqualLimits_IsHighLikeUpstream()
    {
        var pod = WorkerPods.Pending("llm-0", 10, "1Gi");
        pod.Metadata.Annotations.Remove(Annotations.Qos);

        Assert.Equal(QosLevel.High, WorkerRequestMapper.Map(pod, poolDefaultQos: _ => QosLevel.Low).Request!.Qos);
    }

    [Fact]
    public void Map_NoQosAndLimitAboveRequest_TakesThePoolDefault()
    {
        var pod = WorkerPods.Pending("llm-0", 10, "1Gi", extra: new() { [Annotations.TflopsLimit] = "20" });
        pod.Metadata.Annotations.Remove(Annotations.Qos);

        Assert.Equal(QosLevel.Low, WorkerRequestMapper.Map(pod, poolDefaultQos: pool => pool == "pool" ? QosLevel.Low : null).Request!.Qos);
        Assert.Equal(QosLevel.Medium, WorkerRequestMapper.Map(pod).Request!.Qos);
    }

    [Fact]
    public void Map_PodWithoutAffinity_TakesTheWorkloadsRequiredNodeAffinity()
    {
        var pod = WorkerPods.Pending("llm-0", 10, "1Gi");
        var workload = new TensorFusion.Api.Workloads.TensorFusionWorkload
        {
            Metadata = new V1ObjectMeta { Name = "llm", NamespaceProperty = "team" },
            Spec = new() { NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["b"] }] }],
                },
            } },
        };

        var requirement = Assert.Single(Assert.Single(WorkerRequestMapper.Map(Pipelines.Workloads.WorkloadAnnotationDefaults.StampOnto(pod, workload)).Request!.NodeAffinity!).Requirements);

        Assert.Equal(("zone", NodeSelectorOperator.In, "b"), (requirement.Key, requirement.Operator, Assert.Single(requirement.Values)));
    }

    [Fact]
    public void ToQuota_AmountWithoutTflops_LeavesTflopsUnlimited()
    {
        var quota = new ApiQuota
        {
            Metadata = new V1ObjectMeta { Name = "q", NamespaceProperty = "team" },
            Spec = new GpuResourceQuotaSpec { Total = new QuotaTotal { Requests = new GpuResourceAmount { Vram = new ResourceQuantity("100Gi") } } },
        };

        var total = InventoryMapper.ToQuota(quota).TotalRequests!.Value;

        Assert.Equal((long.MaxValue, 100L << 30), (total.MilliTflops, total.VramBytes));
    }

    [Theory]
    [InlineData(PlacementMode.CompactFirst, PlacementStrategy.CompactFirst)]
    [InlineData(PlacementMode.LowLoadFirst, PlacementStrategy.LowLoadFirst)]
    [InlineData(null, PlacementStrategy.NodeCompactGpuLowLoad)]
    public void ToPool_TemplateMode_IsThePoolsStrategy(PlacementMode? mode, PlacementStrategy expected)
    {
        var pool = new GpuPool { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new GpuPoolSpec { SchedulingConfigTemplate = "t" } };

        Assert.Equal(expected, InventoryMapper.ToPool(pool, new Dictionary<string, PlacementMode?> { ["t"] = mode }).Strategy);
    }
}
