using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TensorFusion.Api.Quotas;

public sealed class GpuResourceQuotaList : IKubernetesObject<V1ListMeta>, IItems<GpuResourceQuota>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = GpuResourceQuota.KubeKind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<GpuResourceQuota> Items { get; set; } = [];
}
