using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Gpus;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Nodes;

/// <summary>Observed state of a GPU node: physical, virtual and available capacity and the agent's heartbeat.</summary>
public sealed class GpuNodeStatus
{
    [JsonPropertyName("phase")]
    [DefaultValue("Pending")]
    public GpuNodePhase? Phase { get; set; }

    [JsonPropertyName("conditions")]
    [MaxItems(32)]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("totalTFlops")]
    public ResourceQuantity? TotalTflops { get; set; }

    [JsonPropertyName("totalVRAM")]
    public ResourceQuantity? TotalVram { get; set; }

    [JsonPropertyName("virtualTFlops")]
    public ResourceQuantity? VirtualTflops { get; set; }

    [JsonPropertyName("virtualVRAM")]
    public ResourceQuantity? VirtualVram { get; set; }

    [JsonPropertyName("availableTFlops")]
    public ResourceQuantity? AvailableTflops { get; set; }

    [JsonPropertyName("availableVRAM")]
    public ResourceQuantity? AvailableVram { get; set; }

    [JsonPropertyName("virtualAvailableTFlops")]
    public ResourceQuantity? VirtualAvailableTflops { get; set; }

    [JsonPropertyName("virtualAvailableVRAM")]
    public ResourceQuantity? VirtualAvailableVram { get; set; }

    [JsonPropertyName("hypervisorStatus")]
    public HypervisorStatus? HypervisorStatus { get; set; }

    [JsonPropertyName("nodeInfo")]
    public NodeHostInfo? NodeInfo { get; set; }

    [JsonPropertyName("loadedModels")]
    [MaxItems(256, ItemMaxLength = 512)]
    public List<string>? LoadedModels { get; set; }

    [JsonPropertyName("totalGPUs")]
    [NumberRange(0, 1024)]
    public int? TotalGpus { get; set; }

    [JsonPropertyName("managedGPUs")]
    [NumberRange(0, 1024)]
    public int? ManagedGpus { get; set; }

    [JsonPropertyName("managedGPUDeviceIDs")]
    [MaxItems(1024, ItemMaxLength = 128)]
    public List<string>? ManagedGpuDeviceIds { get; set; }

    [JsonPropertyName("observedGeneration")]
    [NumberRange(0, long.MaxValue)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("totalGPUPods")]
    [NumberRange(0, 100000)]
    public int? TotalGpuPods { get; set; }

    [JsonPropertyName("allocatedPods")]
    [MaxProperties(1024)]
    [MaxItems(1024)]
    [Description("Pods holding a share of each GPU, keyed by GPU name (at most 1024 pods per GPU).")]
    public Dictionary<string, List<GpuPodInfo>>? AllocatedPods { get; set; }
}
