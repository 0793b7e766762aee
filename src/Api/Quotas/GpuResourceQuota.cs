using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

/// <summary>GPU quota of one namespace (name it after the namespace). Namespaced.</summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Namespaced, ShortNames = ["gq"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "TFLOPs Request", "string", ".spec.total.requests.tflops")]
[PrinterColumn(2, "Used TFLOPs", "string", ".status.used.requests.tflops")]
[PrinterColumn(3, "VRAM Request", "string", ".spec.total.requests.vram")]
[PrinterColumn(4, "Used VRAM", "string", ".status.used.requests.vram")]
[PrinterColumn(5, "Workers", "integer", ".status.used.workers")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
public sealed class GpuResourceQuota : IKubernetesObject<V1ObjectMeta>, ISpec<GpuResourceQuotaSpec>, IStatus<GpuResourceQuotaStatus?>
{
    public const string KubeKind = "GPUResourceQuota";
    public const string KubePluralName = "gpuresourcequotas";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GpuResourceQuotaSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public GpuResourceQuotaStatus? Status { get; set; }
}
