using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>The vGPU worker: image and the base pod template every worker pod starts from.</summary>
public sealed class WorkerComponentConfig
{
    [JsonPropertyName("image")]
    [MaxLength(512)]
    public string? Image { get; set; }

    [JsonPropertyName("podTemplate")]
    [Description("Base worker pod template; a workload's workerPodTemplate is merged on top.")]
    public V1PodTemplateSpec? PodTemplate { get; set; }
}
