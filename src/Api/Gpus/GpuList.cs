using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TensorFusion.Api.Gpus;

public sealed class GpuList : IKubernetesObject<V1ListMeta>, IItems<Gpu>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Gpu.KubeKind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<Gpu> Items { get; set; } = [];
}
