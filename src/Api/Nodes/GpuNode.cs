using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Nodes;

/// <summary>A Kubernetes node with GPUs managed by the engine (upstream GPUNode). Cluster-scoped.</summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Cluster, ShortNames = ["gn"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Phase", "string", ".status.phase")]
[PrinterColumn(2, "GPUs", "integer", ".status.totalGPUs")]
[PrinterColumn(3, "TFLOPs", "string", ".status.totalTFlops")]
[PrinterColumn(4, "Available TFLOPs", "string", ".status.availableTFlops")]
[PrinterColumn(5, "VRAM", "string", ".status.totalVRAM")]
[PrinterColumn(6, "Available VRAM", "string", ".status.availableVRAM")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(8, "Manage Mode", "string", ".spec.manageMode", Priority = 1)]
public sealed class GpuNode : IKubernetesObject<V1ObjectMeta>, ISpec<GpuNodeSpec>, IStatus<GpuNodeStatus?>
{
    public const string KubeKind = "GPUNode";
    public const string KubePluralName = "gpunodes";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GpuNodeSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public GpuNodeStatus? Status { get; set; }
}
