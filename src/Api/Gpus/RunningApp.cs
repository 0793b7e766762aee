using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Gpus;

/// <summary>A workload using a GPU, with how many of its workers run on it.</summary>
public sealed class RunningApp
{
    [JsonPropertyName("name")]
    [MaxLength(253)]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    [MaxLength(63)]
    public string? Namespace { get; set; }

    [JsonPropertyName("count")]
    [NumberRange(0, 100000)]
    public int? Count { get; set; }

    [JsonPropertyName("pods")]
    [MaxItems(1024)]
    public List<GpuPodInfo>? Pods { get; set; }
}
