using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Scheduling;

/// <summary>Placement mode and vertical scaling rules shared by pools. Cluster-scoped.</summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Cluster, ShortNames = ["sct"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Mode", "string", ".spec.placement.mode")]
[PrinterColumn(2, "Allow Local GPU", "boolean", ".spec.placement.allowUsingLocalGPU")]
[PrinterColumn(3, "Age", "date", ".metadata.creationTimestamp")]
public sealed class SchedulingConfigTemplate : IKubernetesObject<V1ObjectMeta>, ISpec<SchedulingConfigTemplateSpec>, IStatus<SchedulingConfigTemplateStatus?>
{
    public const string KubeKind = "SchedulingConfigTemplate";
    public const string KubePluralName = "schedulingconfigtemplates";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public SchedulingConfigTemplateSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public SchedulingConfigTemplateStatus? Status { get; set; }
}
