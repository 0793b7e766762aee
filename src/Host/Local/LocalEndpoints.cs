using System.Text.Json;
using System.Text.Json.Serialization;

namespace TensorFusion.Host.Local;

/// <summary>The contents of DIR/endpoints.json: where each local component listens.</summary>
public sealed record LocalEndpoints(
    [property: JsonPropertyName("apiServer")] string ApiServer,
    [property: JsonPropertyName("operatorMetrics")] string? OperatorMetrics,
    [property: JsonPropertyName("agents")] IReadOnlyList<LocalAgentEndpoint> Agents,
    [property: JsonPropertyName("prometheus")] string? Prometheus)
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    public void WriteTo(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, WriteOptions) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
