using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Gpus;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Resources;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Operating;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;

namespace TensorFusion.Pipelines.Tests.Operating;

public sealed class InventoryRelevanceTests
{
    [Fact]
    public void Gpu_OnlyAvailableChanged_NotRelevant()
    {
        var before = Gpu(GpuPhase.Running, "989");
        var after = Gpu(GpuPhase.Running, "889");

        Assert.False(InventoryRelevance.Gpu(new ObjectChange<ApiGpu>(ChangeType.Modified, after, before)));
    }

    [Fact]
    public void Gpu_PhaseChanged_Relevant()
    {
        var before = Gpu(GpuPhase.Running, "989");
        var after = Gpu(GpuPhase.Unknown, "989");

        Assert.True(InventoryRelevance.Gpu(new ObjectChange<ApiGpu>(ChangeType.Modified, after, before)));
    }

    [Theory]
    [InlineData(ChangeType.Added)]
    [InlineData(ChangeType.Deleted)]
    public void Gpu_AddedOrDeleted_Relevant(ChangeType type)
    {
        var gpu = Gpu(GpuPhase.Running, "989");

        Assert.True(InventoryRelevance.Gpu(new ObjectChange<ApiGpu>(type, gpu, type == ChangeType.Deleted ? gpu : null)));
    }

    [Fact]
    public void NodeLabels_HeartbeatOnly_NotRelevant_LabelChange_Relevant()
    {
        var before = new GpuNode { Metadata = new V1ObjectMeta { Name = "n", Labels = new Dictionary<string, string> { ["zone"] = "a" } } };
        var heartbeat = new GpuNode { Metadata = new V1ObjectMeta { Name = "n", Labels = new Dictionary<string, string> { ["zone"] = "a" } }, Status = new GpuNodeStatus { TotalGpus = 8 } };
        var relabelled = new GpuNode { Metadata = new V1ObjectMeta { Name = "n", Labels = new Dictionary<string, string> { ["zone"] = "b" } } };

        Assert.False(InventoryRelevance.NodeLabels(new ObjectChange<GpuNode>(ChangeType.Modified, heartbeat, before)));
        Assert.True(InventoryRelevance.NodeLabels(new ObjectChange<GpuNode>(ChangeType.Modified, relabelled, before)));
    }

    [Fact]
    public void Spec_GenerationMoves_Relevant_StatusOnly_NotRelevant()
    {
        var before = new GpuPool { Metadata = new V1ObjectMeta { Name = "p", Generation = 3 } };
        var statusOnly = new GpuPool { Metadata = new V1ObjectMeta { Name = "p", Generation = 3 }, Status = new GpuPoolStatus { TotalGpus = 8 } };
        var newSpec = new GpuPool { Metadata = new V1ObjectMeta { Name = "p", Generation = 4 } };

        Assert.False(InventoryRelevance.Spec(new ObjectChange<GpuPool>(ChangeType.Modified, statusOnly, before)));
        Assert.True(InventoryRelevance.Spec(new ObjectChange<GpuPool>(ChangeType.Modified, newSpec, before)));
    }

    private static ApiGpu Gpu(GpuPhase phase, string availableTflops) => new()
    {
        Metadata = new V1ObjectMeta { Name = "g0", Labels = new Dictionary<string, string> { [Labels.GpuPool] = "pool" } },
        Status = new GpuStatus
        {
            Phase = phase,
            GpuModel = "H100",
            Index = 0,
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "n" },
            Available = new GpuResourceAmount { Tflops = new ResourceQuantity(availableTflops) },
        },
    };
}
