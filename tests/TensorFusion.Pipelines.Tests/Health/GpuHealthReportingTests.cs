using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Gpus;
using TensorFusion.Pipelines.Health;
using TensorFusion.Pipelines.Informers;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;

namespace TensorFusion.Pipelines.Tests.Health;

public sealed class GpuHealthReportingTests
{
    [Theory]
    [InlineData(GpuPhase.Running, GpuPhase.Unknown, true)]
    [InlineData(GpuPhase.Unknown, GpuPhase.Running, true)]
    [InlineData(GpuPhase.Running, GpuPhase.Running, false)]
    // A GPU registering (Pending → Running) is not a health change its workers need to hear about.
    [InlineData(GpuPhase.Pending, GpuPhase.Running, false)]
    public void HealthChanged_PhaseTransitions_OnlySickAndHealedCount(GpuPhase before, GpuPhase after, bool expected)
    {
        var change = new ObjectChange<ApiGpu>(ChangeType.Modified, Gpu(after, "critical Xid 79 reported by the driver"), Gpu(before, "critical Xid 79 reported by the driver"));

        Assert.Equal(expected, GpuHealthReporting.HealthChanged(change));
    }

    [Fact]
    public void HealthChanged_StillSickWithAnotherFault_Counts()
    {
        var change = new ObjectChange<ApiGpu>(ChangeType.Modified, Gpu(GpuPhase.Unknown, "device lost"), Gpu(GpuPhase.Unknown, "critical Xid 79 reported by the driver"));

        Assert.True(GpuHealthReporting.HealthChanged(change));
    }

    [Fact]
    public void HealthChanged_AddedSickAndDeleted_AddedCountsDeletedNot()
    {
        Assert.True(GpuHealthReporting.HealthChanged(new ObjectChange<ApiGpu>(ChangeType.Added, Gpu(GpuPhase.Unknown, "device lost"), null)));
        Assert.False(GpuHealthReporting.HealthChanged(new ObjectChange<ApiGpu>(ChangeType.Deleted, Gpu(GpuPhase.Unknown, "device lost"), null)));
    }

    [Fact]
    public void NeedsReport_PlacedWorkerOnSickGpuOrStillReported_TrueOtherwiseFalse()
    {
        var sick = Gpu(GpuPhase.Unknown, "device lost");
        ApiGpu? Lookup(string id) => id == "gpu-a" ? sick : Gpu(GpuPhase.Running, "");

        Assert.True(GpuHealthReporting.NeedsReport(Worker("gpu-b,gpu-a", "node-1"), Lookup));
        Assert.False(GpuHealthReporting.NeedsReport(Worker("gpu-b", "node-1"), Lookup));
        // Not bound yet: not placed, nothing to report.
        Assert.False(GpuHealthReporting.NeedsReport(Worker("gpu-a", null), Lookup));
        var stillReported = Worker("gpu-b", "node-1");
        stillReported.Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = ConditionTypes.GpuHealthy, Status = "False" }] };
        Assert.True(GpuHealthReporting.NeedsReport(stillReported, Lookup));
    }

    [Fact]
    public void GpuIdsOf_SpacesAndEmptyEntries_Trimmed()
    {
        Assert.Equal(["gpu-a", "gpu-b"], GpuHealthReporting.GpuIdsOf(Worker(" gpu-a, ,gpu-b ", "node-1")));
    }

    private static ApiGpu Gpu(GpuPhase phase, string message) => new()
    {
        Metadata = new V1ObjectMeta { Name = "gpu-a" },
        Status = new GpuStatus { Phase = phase, Message = message, NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-1" } },
    };

    private static V1Pod Worker(string gpuIds, string? node) => new()
    {
        Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "ml", Annotations = new Dictionary<string, string> { [Annotations.GpuIds] = gpuIds } },
        Spec = new V1PodSpec { NodeName = node, Containers = [] },
    };
}
