using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Gpus;

/// <summary>NVLink connectivity of a GPU to its peers.</summary>
public sealed class NvLinkInfo
{
    [JsonPropertyName("peerCount")]
    [NumberRange(0, 1024)]
    public int? PeerCount { get; set; }

    [JsonPropertyName("totalLinkCount")]
    [NumberRange(0, 1024)]
    public int? TotalLinkCount { get; set; }

    [JsonPropertyName("totalBandwidthMBps")]
    [NumberRange(0, long.MaxValue)]
    public long? TotalBandwidthMBps { get; set; }

    [JsonPropertyName("peers")]
    [MaxItems(64)]
    public List<NvLinkPeer>? Peers { get; set; }
}
