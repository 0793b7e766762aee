using System.Text.Json.Serialization;

namespace TensorFusion.Api.Autoscaling;

/// <summary>Which resources autoSetResources may change in place.</summary>
public enum TargetResource
{
    [JsonStringEnumMemberName("compute")]
    Compute,

    [JsonStringEnumMemberName("vram")]
    Vram,

    [JsonStringEnumMemberName("all")]
    All,
}
