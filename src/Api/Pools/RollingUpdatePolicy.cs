using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>How component updates roll across the pool's nodes (upstream <c>nodePoolRollingUpdatePolicy</c>).</summary>
public sealed class RollingUpdatePolicy
{
    [JsonPropertyName("autoUpdateHypervisor")]
    public bool? AutoUpdateHypervisor { get; set; }

    [JsonPropertyName("autoUpdateWorker")]
    public bool? AutoUpdateWorker { get; set; }

    [JsonPropertyName("autoUpdateClient")]
    public bool? AutoUpdateClient { get; set; }

    [JsonPropertyName("batchPercentage")]
    [NumberRange(1, 100)]
    [DefaultValue(100)]
    public int? BatchPercentage { get; set; }

    [JsonPropertyName("batchInterval")]
    [DurationString]
    [DefaultValue("1s")]
    public string? BatchInterval { get; set; }

    [JsonPropertyName("maxDuration")]
    [DurationString]
    [DefaultValue("10m")]
    public string? MaxDuration { get; set; }

    [JsonPropertyName("maintenanceWindow")]
    public MaintenanceWindow? MaintenanceWindow { get; set; }
}
