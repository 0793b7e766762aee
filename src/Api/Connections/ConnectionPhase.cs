using System.Text.Json.Serialization;

namespace TensorFusion.Api.Connections;

/// <summary>Phase of a connection (upstream's WorkerPhase).</summary>
public enum ConnectionPhase
{
    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("Failed")]
    Failed,
}
