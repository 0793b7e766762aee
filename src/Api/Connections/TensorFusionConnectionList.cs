using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TensorFusion.Api.Connections;

public sealed class TensorFusionConnectionList : IKubernetesObject<V1ListMeta>, IItems<TensorFusionConnection>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = TensorFusionConnection.KubeKind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<TensorFusionConnection> Items { get; set; } = [];
}
