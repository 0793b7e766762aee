using System.Text.Json.Serialization;

namespace TensorFusion.Host.Local;

/// <summary>One simulated node's agent in endpoints.json.</summary>
public sealed record LocalAgentEndpoint(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("metrics")] string Metrics);
