using System.Text.Json;
using System.Text.Json.Serialization;

namespace TensorFusion.Gpu.Plans;

/// <summary>
/// The one JSON shape of the agent protocol and the agent's checkpoint (camelCase names, enums as camelCase strings,
/// nulls omitted). Defined next to the plan records so that the operator, which sends plans, and the agent, which
/// reads them, cannot drift apart.
/// </summary>
public static class PlanJson
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
