using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>
/// How far limits may exceed physical capacity. Virtual TFLOPs = total × tflopsOversellRatio / 100; virtual VRAM =
/// total + disk × vramExpandToHostDisk / 100 + host memory × vramExpandToHostMem / 100.
/// </summary>
public sealed class OversubscriptionConfig
{
    [JsonPropertyName("vramExpandToHostMem")]
    [NumberRange(0, 100)]
    [DefaultValue(50)]
    [Description("Percent of host memory usable as extra VRAM.")]
    public int? VramExpandToHostMem { get; set; }

    [JsonPropertyName("vramExpandToHostDisk")]
    [NumberRange(0, 100)]
    [DefaultValue(70)]
    [Description("Percent of the data disk usable as extra VRAM.")]
    public int? VramExpandToHostDisk { get; set; }

    [JsonPropertyName("tflopsOversellRatio")]
    [NumberRange(100, 100000)]
    [DefaultValue(500)]
    [Description("Virtual TFLOPs as a percent of physical TFLOPs.")]
    public int? TflopsOversellRatio { get; set; }
}
