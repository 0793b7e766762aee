using System.Text.Json.Serialization;

namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>One named device of a CDI spec; its fully qualified name is <c>kind=name</c>.</summary>
public sealed record CdiDevice(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("containerEdits")] CdiContainerEdits ContainerEdits);
