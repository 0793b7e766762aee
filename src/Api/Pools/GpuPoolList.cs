using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TensorFusion.Api.Pools;

public sealed class GpuPoolList : IKubernetesObject<V1ListMeta>, IItems<GpuPool>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = GpuPool.KubeKind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<GpuPool> Items { get; set; } = [];
}
