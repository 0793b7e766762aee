using System.Text.Json.Serialization;

namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>What a runtime changes in the container for a device: environment (<c>KEY=VALUE</c>) and bind mounts.</summary>
public sealed record CdiContainerEdits(
    [property: JsonPropertyName("env")] IReadOnlyList<string> Env,
    [property: JsonPropertyName("mounts")] IReadOnlyList<CdiMount> Mounts);
