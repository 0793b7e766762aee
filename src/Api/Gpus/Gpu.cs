using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Gpus;

/// <summary>One GPU device (upstream GPU). Cluster-scoped, status only, created by the node agent.</summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Cluster)]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Phase", "string", ".status.phase")]
[PrinterColumn(2, "Model", "string", ".status.gpuModel")]
[PrinterColumn(3, "Index", "integer", ".status.index")]
[PrinterColumn(4, "TFLOPs", "string", ".status.capacity.tflops")]
[PrinterColumn(5, "Available TFLOPs", "string", ".status.available.tflops")]
[PrinterColumn(6, "VRAM", "string", ".status.capacity.vram")]
[PrinterColumn(7, "Available VRAM", "string", ".status.available.vram")]
[PrinterColumn(8, "Node", "string", ".status.nodeSelector.kubernetes\\.io/hostname")]
[PrinterColumn(9, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(10, "UUID", "string", ".status.uuid", Priority = 1)]
public sealed class Gpu : IKubernetesObject<V1ObjectMeta>, IStatus<GpuStatus?>
{
    public const string KubeKind = "GPU";
    public const string KubePluralName = "gpus";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public GpuStatus? Status { get; set; }
}
