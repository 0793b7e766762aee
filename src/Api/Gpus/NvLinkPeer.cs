using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Gpus;

public sealed class NvLinkPeer
{
    [JsonPropertyName("peerUUID")]
    [MaxLength(128)]
    public string? PeerUuid { get; set; }

    [JsonPropertyName("linkCount")]
    [NumberRange(0, 1024)]
    public int? LinkCount { get; set; }

    [JsonPropertyName("linkVersion")]
    [NumberRange(0, 1024)]
    public int? LinkVersion { get; set; }

    [JsonPropertyName("bandwidthMBps")]
    [NumberRange(0, long.MaxValue)]
    public long? BandwidthMBps { get; set; }
}
