using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Workloads;

/// <summary>
/// A reusable workload template in a namespace: pods name it with the <c>tensor-fusion.ai/workload-profile</c>
/// annotation and their own annotations override its fields.
/// </summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Namespaced, ShortNames = ["wp"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Pool", "string", ".spec.poolName")]
[PrinterColumn(2, "QoS", "string", ".spec.qos")]
[PrinterColumn(3, "GPU Model", "string", ".spec.gpuModel")]
[PrinterColumn(4, "GPU Count", "integer", ".spec.gpuCount")]
[PrinterColumn(5, "Age", "date", ".metadata.creationTimestamp")]
public sealed class WorkloadProfile : IKubernetesObject<V1ObjectMeta>, ISpec<WorkloadProfileSpec>, IStatus<WorkloadProfileStatus?>
{
    public const string KubeKind = "WorkloadProfile";
    public const string KubePluralName = "workloadprofiles";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WorkloadProfileSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WorkloadProfileStatus? Status { get; set; }
}
