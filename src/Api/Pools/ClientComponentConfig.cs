using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>What the admission webhook injects into GPU-consuming pods (images, operator endpoint, patches).</summary>
public sealed class ClientComponentConfig
{
    [JsonPropertyName("image")]
    [MaxLength(512)]
    [Description("Deprecated upstream; use remoteModeImage and embeddedModeImage.")]
    public string? Image { get; set; }

    [JsonPropertyName("remoteModeImage")]
    [MaxLength(512)]
    public string? RemoteModeImage { get; set; }

    [JsonPropertyName("embeddedModeImage")]
    [MaxLength(512)]
    public string? EmbeddedModeImage { get; set; }

    [JsonPropertyName("operatorEndpoint")]
    [MaxLength(2048)]
    public string? OperatorEndpoint { get; set; }

    [JsonPropertyName("patchToPod")]
    [PreserveUnknownFields]
    [Description("Strategic-merge patch applied to client pods.")]
    public JsonObject? PatchToPod { get; set; }

    [JsonPropertyName("patchToContainer")]
    [PreserveUnknownFields]
    [Description("Strategic-merge patch applied to injected containers.")]
    public JsonObject? PatchToContainer { get; set; }

    [JsonPropertyName("patchToEmbeddedWorkerContainer")]
    [PreserveUnknownFields]
    public JsonObject? PatchToEmbeddedWorkerContainer { get; set; }

    [JsonPropertyName("patchEmbeddedWorkerToPod")]
    [PreserveUnknownFields]
    public JsonObject? PatchEmbeddedWorkerToPod { get; set; }
}
