using System.Text.Json.Serialization;

namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>A Container Device Interface spec file (CDI SPEC.md): the devices of one kind and their container edits.
/// Only the fields the agent writes are modelled; a runtime rejects unknown fields, so none are added.</summary>
public sealed record CdiSpec(
    [property: JsonPropertyName("cdiVersion")] string CdiVersion,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("devices")] IReadOnlyList<CdiDevice> Devices);
