using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Validation;

namespace TensorFusion.Api.Schema;

/// <summary>
/// Builds the structural OpenAPI v3 schema of a C# API type by reflection over its properties and schema attributes.
/// Every free-form string, list and map must carry a bound (<see cref="MaxLengthAttribute"/>, <see cref="MaxItemsAttribute"/>,
/// <see cref="MaxPropertiesAttribute"/>); a missing one fails generation, so the CRDs can never ship unbounded.
/// </summary>
public static class CrdSchemaBuilder
{
    /// <summary>Quantities the API accepts: the Kubernetes grammar without a sign (resources are never negative).</summary>
    public const string NonNegativeQuantityPattern =
        @"^\+?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    public static JsonObject ForType(Type type)
    {
        type = ClrFieldTypes.Unwrap(type);
        var schema = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in ClrFieldTypes.JsonProperties(type).OrderBy(ClrFieldTypes.JsonName, StringComparer.Ordinal))
        {
            var name = ClrFieldTypes.JsonName(property);
            properties[name] = ForProperty(property, $"{type.Name}.{property.Name}");
            if (property.GetCustomAttribute<RequiredFieldAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }

        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        AddRules(schema, type.GetCustomAttributes<ValidationRuleAttribute>());
        return schema;
    }

    private static JsonObject ForProperty(PropertyInfo property, string where)
    {
        var schema = ForValue(ClrFieldTypes.Unwrap(property.PropertyType), property, where);
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema.Insert(0, "description", description.Description);
        }

        if (property.GetCustomAttribute<DefaultValueAttribute>() is { Value: { } value })
        {
            schema["default"] = JsonValue.Create(value);
        }

        AddRules(schema, property.GetCustomAttributes<ValidationRuleAttribute>());
        return schema;
    }

    private static JsonObject ForValue(Type type, PropertyInfo property, string where)
    {
        if (type == typeof(string))
        {
            return ForString(property, where);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            var schema = new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
            AddRange(schema, property);
            return schema;
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type.IsEnum)
        {
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(WireNames.Names(type).Select(name => (JsonNode)name).ToArray()) };
        }

        if (type == typeof(DateTime))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(ResourceQuantity))
        {
            var schema = new JsonObject
            {
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                ["pattern"] = NonNegativeQuantityPattern,
                ["x-kubernetes-int-or-string"] = true,
            };
            AddRange(schema, property);
            return schema;
        }

        if (type == typeof(JsonObject))
        {
            return property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null
                ? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true }
                : throw new InvalidOperationException($"{where}: a free-form object needs [PreserveUnknownFields]");
        }

        if (ClrFieldTypes.DictionaryValueType(type) is { } valueType)
        {
            var bound = property.GetCustomAttribute<MaxPropertiesAttribute>()
                ?? throw new InvalidOperationException($"{where}: a map needs [MaxProperties]");
            var values = valueType == typeof(string)
                ? new JsonObject { ["type"] = "string", ["maxLength"] = bound.ValueMaxLength > 0 ? bound.ValueMaxLength : throw new InvalidOperationException($"{where}: string map values need ValueMaxLength") }
                : ForValue(ClrFieldTypes.Unwrap(valueType), property, where + "[value]");
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = values, ["maxProperties"] = bound.Count };
        }

        if (ClrFieldTypes.ElementType(type) is { } itemType)
        {
            var bound = property.GetCustomAttribute<MaxItemsAttribute>()
                ?? throw new InvalidOperationException($"{where}: a list needs [MaxItems]");
            var items = itemType == typeof(string)
                ? new JsonObject { ["type"] = "string", ["maxLength"] = bound.ItemMaxLength > 0 ? bound.ItemMaxLength : throw new InvalidOperationException($"{where}: string items need ItemMaxLength") }
                : ForItem(ClrFieldTypes.Unwrap(itemType), where);
            var schema = new JsonObject { ["type"] = "array", ["items"] = items, ["maxItems"] = bound.Count };
            if (itemType == typeof(V1Condition))
            {
                schema["x-kubernetes-list-type"] = "map";
                schema["x-kubernetes-list-map-keys"] = new JsonArray("type");
            }

            return schema;
        }

        if (type.Namespace?.StartsWith("k8s", StringComparison.Ordinal) == true)
        {
            // Embedded Kubernetes types are validated by the API server for the resources they really describe;
            // keeping them free-form keeps the CRDs small (a full pod template schema is ~10k lines).
            return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        return ForType(type);
    }

    private static JsonObject ForItem(Type itemType, string where)
    {
        if (itemType == typeof(int) || itemType == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = itemType == typeof(int) ? "int32" : "int64", ["minimum"] = 0 };
        }

        if (itemType == typeof(V1Condition))
        {
            return KubernetesSchemas.Condition();
        }

        return itemType.Namespace?.StartsWith("k8s", StringComparison.Ordinal) == true
            ? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true }
            : ForType(itemType);
    }

    private static JsonObject ForString(PropertyInfo property, string where)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (property.GetCustomAttribute<NumericStringAttribute>() is { } numeric)
        {
            schema["maxLength"] = 32;
            schema["pattern"] = NumericStringSchema.Pattern;
            var min = numeric.Minimum.ToString("0.0###", CultureInfo.InvariantCulture);
            var max = numeric.Maximum.ToString("0.0###", CultureInfo.InvariantCulture);
            AddRules(schema, [new ValidationRuleAttribute($"double(self) >= {min} && double(self) <= {max}", $"must be a number between {min} and {max}")]);
            return schema;
        }

        if (property.GetCustomAttribute<DurationStringAttribute>() is not null)
        {
            schema["maxLength"] = DurationStringAttribute.MaxLength;
            schema["pattern"] = DurationStringAttribute.Pattern;
            return schema;
        }

        schema["maxLength"] = property.GetCustomAttribute<MaxLengthAttribute>()?.Length
            ?? throw new InvalidOperationException($"{where}: a string needs [MaxLength]");
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Pattern;
        }

        return schema;
    }

    private static void AddRange(JsonObject schema, PropertyInfo property)
    {
        var range = property.GetCustomAttribute<NumberRangeAttribute>();
        var isQuantity = ClrFieldTypes.Unwrap(property.PropertyType) == typeof(ResourceQuantity);
        if (range is null && !isQuantity)
        {
            return;
        }

        schema["minimum"] = range?.Minimum is { } min ? JsonValue.Create((long)min) : 0;
        if (range is not null && range.Maximum < long.MaxValue)
        {
            schema["maximum"] = (long)range.Maximum;
        }
    }

    private static void AddRules(JsonObject schema, IEnumerable<ValidationRuleAttribute> rules)
    {
        var list = new JsonArray();
        foreach (var rule in rules)
        {
            list.Add(new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message });
        }

        if (list.Count > 0)
        {
            schema["x-kubernetes-validations"] = list;
        }
    }
}
