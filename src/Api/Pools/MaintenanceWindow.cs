using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Cron expressions at which rolling updates may start.</summary>
public sealed class MaintenanceWindow
{
    [JsonPropertyName("includes")]
    [MaxItems(16, ItemMaxLength = 256)]
    public List<string>? Includes { get; set; }
}
