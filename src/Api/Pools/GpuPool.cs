using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>A pool of GPU nodes that workloads draw from (upstream GPUPool). Cluster-scoped.</summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Cluster, ShortNames = ["gp"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Phase", "string", ".status.phase")]
[PrinterColumn(2, "Nodes", "integer", ".status.totalNodes")]
[PrinterColumn(3, "GPUs", "integer", ".status.totalGPUs")]
[PrinterColumn(4, "TFLOPs", "string", ".status.totalTFlops")]
[PrinterColumn(5, "Available TFLOPs", "string", ".status.availableTFlops")]
[PrinterColumn(6, "VRAM", "string", ".status.totalVRAM")]
[PrinterColumn(7, "Available VRAM", "string", ".status.availableVRAM")]
[PrinterColumn(8, "Age", "date", ".metadata.creationTimestamp")]
public sealed class GpuPool : IKubernetesObject<V1ObjectMeta>, ISpec<GpuPoolSpec>, IStatus<GpuPoolStatus?>
{
    public const string KubeKind = "GPUPool";
    public const string KubePluralName = "gpupools";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GpuPoolSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public GpuPoolStatus? Status { get; set; }
}
