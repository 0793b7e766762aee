using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Connections;

/// <summary>
/// A remote-mode client pod's link to the worker that serves it (upstream <c>TensorFusionConnection</c>): one per client
/// pod, owned by that pod, labelled with the workload and the chosen worker. The client reads <c>status.connectionURL</c>
/// (directly, or through the operator's <c>GET /api/connection</c>).
/// </summary>
[CustomResource(KubeKind, KubePluralName, ResourceScope.Namespaced, ShortNames = ["tfconn"])]
[KubernetesEntity(Group = TensorFusionApi.Group, ApiVersion = TensorFusionApi.Version, Kind = KubeKind, PluralName = KubePluralName)]
[PrinterColumn(1, "Phase", "string", ".status.phase")]
[PrinterColumn(2, "Workload", "string", ".spec.workloadName")]
[PrinterColumn(3, "Client", "string", ".spec.clientPod")]
[PrinterColumn(4, "Worker", "string", ".status.workerName")]
[PrinterColumn(5, "URL", "string", ".status.connectionURL")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
public sealed class TensorFusionConnection : IKubernetesObject<V1ObjectMeta>, ISpec<TensorFusionConnectionSpec>, IStatus<TensorFusionConnectionStatus?>
{
    public const string KubeKind = "TensorFusionConnection";
    public const string KubePluralName = "tensorfusionconnections";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TensorFusionConnectionSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TensorFusionConnectionStatus? Status { get; set; }
}
