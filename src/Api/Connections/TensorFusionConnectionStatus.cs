using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Connections;

/// <summary>Where the client's worker is, once one runs.</summary>
public sealed class TensorFusionConnectionStatus
{
    [JsonPropertyName("phase")]
    [DefaultValue("Pending")]
    public ConnectionPhase? Phase { get; set; }

    [JsonPropertyName("connectionURL")]
    [MaxLength(1024)]
    [Description("native+<worker pod IP>+<port>+<worker pod name>-<worker resourceVersion>, empty until the worker runs.")]
    public string? ConnectionUrl { get; set; }

    [JsonPropertyName("workerName")]
    [MaxLength(253)]
    [Description("The worker pod serving the client.")]
    public string? WorkerName { get; set; }
}
