using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Connections;

/// <summary>Which workload a client pod uses.</summary>
public sealed class TensorFusionConnectionSpec
{
    [JsonPropertyName("workloadName")]
    [MaxLength(253)]
    [Description("The TensorFusionWorkload (same namespace) whose workers serve the client.")]
    public string? WorkloadName { get; set; }

    [JsonPropertyName("clientPod")]
    [MaxLength(253)]
    [Description("The client pod (same namespace) this connection belongs to.")]
    public string? ClientPod { get; set; }
}
