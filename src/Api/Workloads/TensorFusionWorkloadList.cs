using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TensorFusion.Api.Workloads;

public sealed class TensorFusionWorkloadList : IKubernetesObject<V1ListMeta>, IItems<TensorFusionWorkload>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = TensorFusionWorkload.KubeKind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<TensorFusionWorkload> Items { get; set; } = [];
}
