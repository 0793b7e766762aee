using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// Validates, defaults and prunes a custom object against its CRD's structural openAPIV3Schema, like the API server:
/// nulls of non-nullable fields are pruned, defaults fill missing properties of objects that exist, unknown fields are
/// dropped (and reported), and each error names its field path (`spec.replicas`). Every keyword our CRDs use is
/// enforced: types (int-or-string included, with pattern and minimum/maximum), enum, pattern, lengths, counts, formats
/// (int32, int64, date-time), required, nullable and list-type set/map uniqueness. CEL rules are not evaluated here.
/// </summary>
public static partial class StructuralSchema
{
    private static readonly HashSet<string> RootMeta = ["apiVersion", "kind", "metadata"];

    public static SchemaValidation Apply(JsonObject value, JsonObject schema)
    {
        var result = new SchemaValidation();
        ApplyObject(value, schema, string.Empty, result, isRoot: true);
        return result;
    }

    private static void Apply(JsonNode? value, JsonObject schema, string path, SchemaValidation result)
    {
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                result.Errors.Add((path, "Invalid value: \"null\": must not be null"));
            }

            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            // As the API server does, the string keywords (pattern, maxLength) judge a string and the numeric ones
            // (minimum, maximum) an integer: a quantity is either "500m" or 2, never 2.5.
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    CheckString(value.GetValue<string>(), schema, path, result);
                    break;
                case JsonValueKind.Number when IsInteger(value):
                    CheckNumber(JsonText.Number(value)!.Value, schema, path, result);
                    break;
                default:
                    result.Errors.Add((path, $"Invalid value: {Show(value)}: {path} in body must be of type integer or string"));
                    break;
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object" when value is JsonObject obj:
                ApplyObject(obj, schema, path, result, isRoot: false);
                return;
            case "array" when value is JsonArray array:
                ApplyArray(array, schema, path, result);
                return;
            case "string" when value.GetValueKind() == JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, result);
                break;
            case "integer" when value.GetValueKind() == JsonValueKind.Number && IsInteger(value):
            case "number" when value.GetValueKind() == JsonValueKind.Number:
                CheckNumber(JsonText.Number(value)!.Value, schema, path, result);
                break;
            case "boolean" when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
            case null:
                break;
            default:
                result.Errors.Add((path, $"Invalid value: \"{KindName(value)}\": {path} in body must be of type {type}: {Show(value)}"));
                return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(option => JsonNode.DeepEquals(option, value)))
        {
            var options = string.Join(", ", allowed.Select(Show));
            result.Errors.Add((path, $"Unsupported value: {Show(value)}: supported values: {options}"));
        }
    }

    private static void ApplyObject(JsonObject value, JsonObject schema, string path, SchemaValidation result, bool isRoot)
    {
        var properties = schema["properties"] as JsonObject;
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var additional = schema["additionalProperties"];

        // As the API server does: a null for a field that is not nullable is pruned (dropped) before defaulting,
        // so `replicas: null` means "not set" (and picks up the default, if any) rather than an error.
        foreach (var name in value.Where(pair => pair.Value is null).Select(pair => pair.Key).ToList())
        {
            var fieldSchema = properties?[name] as JsonObject ?? additional as JsonObject;
            if (fieldSchema is not null && fieldSchema["nullable"]?.GetValue<bool>() != true && !(isRoot && RootMeta.Contains(name)))
            {
                value.Remove(name);
            }
        }

        if (properties is not null)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (!value.ContainsKey(name) && propertySchema?["default"] is { } defaultValue && !(isRoot && RootMeta.Contains(name)))
                {
                    value[name] = defaultValue.DeepClone();
                }
            }
        }

        foreach (var name in value.Select(pair => pair.Key).ToList())
        {
            var childPath = Join(path, name);
            if (isRoot && RootMeta.Contains(name))
            {
                continue;
            }

            if (properties?[name] is JsonObject propertySchema)
            {
                Apply(value[name], propertySchema, childPath, result);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Apply(value[name], additionalSchema, childPath, result);
            }
            else if (!preserveUnknown && !(additional is JsonValue allow && allow.GetValue<bool>()))
            {
                result.UnknownFields.Add(childPath);
                value.Remove(name);
            }
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(item => item?.ToString() ?? string.Empty).Where(name => !value.ContainsKey(name)))
            {
                result.Errors.Add((Join(path, name), "Required value"));
            }
        }

        CheckCount(value.Count, schema, "minProperties", "maxProperties", "properties", path, result);
    }

    private static void ApplyArray(JsonArray array, JsonObject schema, string path, SchemaValidation result)
    {
        if (schema["items"] is JsonObject items)
        {
            for (var index = 0; index < array.Count; index++)
            {
                Apply(array[index], items, $"{path}[{index}]", result);
            }
        }

        CheckCount(array.Count, schema, "minItems", "maxItems", "items", path, result);
        ListUniqueness.Check(array, schema, path, result);
    }

    private static void CheckString(string text, JsonObject schema, string path, SchemaValidation result)
    {
        CheckCount(text.Length, schema, "minLength", "maxLength", "characters", path, result);
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
        {
            result.Errors.Add((path, $"Invalid value: \"{text}\": {path} in body should match '{pattern}'"));
        }

        if (schema["format"]?.GetValue<string>() == "date-time"
            && !(DateTimePattern().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)))
        {
            result.Errors.Add((path, $"Invalid value: \"{text}\": {path} in body must be of type date-time: \"{text}\""));
        }
    }

    private static void CheckNumber(double number, JsonObject schema, string path, SchemaValidation result)
    {
        var (low, high) = schema["format"]?.GetValue<string>() switch
        {
            "int32" => ((double)int.MinValue, (double)int.MaxValue),
            "int64" => ((double)long.MinValue, (double)long.MaxValue),
            _ => (double.NegativeInfinity, double.PositiveInfinity),
        };
        if (number < low || number > high)
        {
            result.Errors.Add((path, $"Invalid value: {Format(number)}: {path} in body must be of type {schema["format"]}: \"{Format(number)}\""));
        }

        if (JsonText.Number(schema["minimum"]) is { } minimum && number < minimum)
        {
            result.Errors.Add((path, $"Invalid value: {Format(number)}: {path} in body should be greater than or equal to {Format(minimum)}"));
        }

        if (JsonText.Number(schema["maximum"]) is { } maximum && number > maximum)
        {
            result.Errors.Add((path, $"Invalid value: {Format(number)}: {path} in body should be less than or equal to {Format(maximum)}"));
        }
    }

    private static void CheckCount(int count, JsonObject schema, string min, string max, string unit, string path, SchemaValidation result)
    {
        if (JsonText.WholeNumber(schema[min]) is { } low && count < low)
        {
            result.Errors.Add((path, $"Invalid value: {count}: {path} in body should have at least {low} {unit}"));
        }

        if (JsonText.WholeNumber(schema[max]) is { } high && count > high)
        {
            result.Errors.Add((path, $"Too many: {count}: must have at most {high} {unit}"));
        }
    }

    /// <summary>RFC 3339 date-time, as the API server's <c>date-time</c> format accepts it.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();

    private static bool IsInteger(JsonNode value) => JsonText.Number(value) is { } number && Math.Floor(number) == number;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);

    private static string KindName(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        _ => "object",
    };

    private static string Show(JsonNode? value) => JsonText.Text(value);
}
