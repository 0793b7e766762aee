using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TensorFusion.Api.Scheduling;

public sealed class SchedulingConfigTemplateList : IKubernetesObject<V1ListMeta>, IItems<SchedulingConfigTemplate>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TensorFusionApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = SchedulingConfigTemplate.KubeKind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<SchedulingConfigTemplate> Items { get; set; } = [];
}
