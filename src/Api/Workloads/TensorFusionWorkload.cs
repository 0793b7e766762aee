using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Workloads;

/// <summary>
/// A GPU-consuming workload: the engine keeps its vGPU workers (fixed or dynamic replicas), places them on GPUs and
/// reports progress in <see cref="Status"/>. Namespaced; short name <c>tfw</c>.
/// </summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Namespaced, ShortNames = ["tfw"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Phase", "string", ".status.phase")]
[PrinterColumn(2, "Worker Count", "integer", ".status.workerCount")]
[PrinterColumn(3, "Ready Workers", "integer", ".status.readyWorkers")]
[PrinterColumn(4, "Pool", "string", ".spec.poolName")]
[PrinterColumn(5, "QoS", "string", ".spec.qos")]
[PrinterColumn(6, "GPU Model", "string", ".spec.gpuModel")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(8, "Replicas", "integer", ".spec.replicas", Priority = 1)]
[PrinterColumn(9, "GPU Count", "integer", ".spec.gpuCount", Priority = 1)]
[PrinterColumn(10, "Is Local GPU", "boolean", ".spec.isLocalGPU", Priority = 1)]
public sealed class TensorFusionWorkload : IKubernetesObject<V1ObjectMeta>, ISpec<WorkloadProfileSpec>, IStatus<TensorFusionWorkloadStatus?>
{
    public const string KubeKind = "TensorFusionWorkload";
    public const string KubePluralName = "tensorfusionworkloads";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WorkloadProfileSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TensorFusionWorkloadStatus? Status { get; set; }
}
