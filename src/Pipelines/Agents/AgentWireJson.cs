using System.Text.Json;
using System.Text.Json.Serialization;

namespace TensorFusion.Pipelines.Agents;

/// <summary>The agent API's JSON shape (camelCase names, enums as camelCase strings), matched on the operator side.</summary>
public static class AgentWireJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
