using System.Text.Json.Serialization;

namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>A bind mount of a CDI spec. No <c>type</c> field: it would raise the spec to cdiVersion 0.4.0.</summary>
public sealed record CdiMount(
    [property: JsonPropertyName("hostPath")] string HostPath,
    [property: JsonPropertyName("containerPath")] string ContainerPath,
    [property: JsonPropertyName("options")] IReadOnlyList<string> Options);
