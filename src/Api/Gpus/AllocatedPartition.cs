using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Gpus;

/// <summary>A hardware partition (e.g. a MIG instance) carved for one pod, with the placement slots it occupies.</summary>
public sealed class AllocatedPartition
{
    [JsonPropertyName("templateId")]
    [MaxLength(128)]
    public string? TemplateId { get; set; }

    [JsonPropertyName("podUid")]
    [MaxLength(64)]
    public string? PodUid { get; set; }

    [JsonPropertyName("podName")]
    [MaxLength(253)]
    public string? PodName { get; set; }

    [JsonPropertyName("namespace")]
    [MaxLength(63)]
    public string? Namespace { get; set; }

    [JsonPropertyName("allocatedAt")]
    public DateTime? AllocatedAt { get; set; }

    [JsonPropertyName("allocatedSlotStart")]
    [NumberRange(0, 64)]
    public int? AllocatedSlotStart { get; set; }

    [JsonPropertyName("allocatedSlotEnd")]
    [NumberRange(0, 64)]
    public int? AllocatedSlotEnd { get; set; }

    [JsonPropertyName("isolationGroupId")]
    [NumberRange(0, 64)]
    public int? IsolationGroupId { get; set; }
}
