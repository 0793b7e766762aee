using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Scheduled defragmentation: evicts workers off lightly used nodes inside a time window.</summary>
public sealed class DefragConfig
{
    [JsonPropertyName("enabled")]
    [DefaultValue(false)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("schedule")]
    [MaxLength(256)]
    [DefaultValue("0 3 * * *")]
    [Pattern(@"^\S+(\s+\S+){4}$", "a 5-field cron expression without a TZ= prefix")]
    public string? Schedule { get; set; }

    [JsonPropertyName("timezone")]
    [MaxLength(64)]
    [Description("IANA time zone of the schedule.")]
    public string? Timezone { get; set; }

    [JsonPropertyName("maxDuration")]
    [DurationString]
    [DefaultValue("2h")]
    public string? MaxDuration { get; set; }

    [JsonPropertyName("utilizationThresholdPercent")]
    [NumberRange(0, 100)]
    [DefaultValue(40)]
    public int? UtilizationThresholdPercent { get; set; }

    [JsonPropertyName("evictedPodMarkerTTL")]
    [MaxLength(64)]
    [DefaultValue("never")]
    [Description("How long evicted pods stay marked: a duration or \"never\".")]
    public string? EvictedPodMarkerTtl { get; set; }

    [JsonPropertyName("sourceNodeMarkerTTL")]
    [MaxLength(64)]
    [DefaultValue("30m")]
    public string? SourceNodeMarkerTtl { get; set; }
}
