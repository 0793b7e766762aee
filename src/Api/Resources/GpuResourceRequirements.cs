using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TensorFusion.Api.Resources;

/// <summary>
/// Requests and limits of one worker, per GPU device (upstream <c>Resources</c>). Only requests consume GPU capacity;
/// limits are the ceiling the node agent enforces and may oversubscribe.
/// </summary>
public sealed class GpuResourceRequirements
{
    [JsonPropertyName("requests")]
    [Description("Guaranteed resources per GPU; they consume the GPU's available capacity.")]
    public GpuResourceAmount? Requests { get; set; }

    [JsonPropertyName("limits")]
    [Description("Upper bound per GPU enforced by the node agent; may exceed requests (oversubscription).")]
    public GpuResourceAmount? Limits { get; set; }
}
