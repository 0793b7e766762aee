using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Api.Validation;

/// <summary>
/// Applies the schema bounds and rules of the API (the same attributes the CRD generator emits) to a typed object and
/// returns every violation with its field path, e.g. <c>spec.gpuCount: must be between 1 and 128, got 0</c>.
/// Embedded Kubernetes types (pod templates, affinity) are left to the API server.
/// </summary>
public static class ManifestValidator
{
    public static IReadOnlyList<ValidationError> Validate(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<ValidationError>();
        if (value is IKubernetesObject<V1ObjectMeta> resource)
        {
            ValidateMetadata(resource.Metadata, errors);
        }

        ValidateObject(value, string.Empty, errors);
        return errors;
    }

    private static void ValidateMetadata(V1ObjectMeta? metadata, List<ValidationError> errors)
    {
        if (metadata is null || (string.IsNullOrEmpty(metadata.Name) && string.IsNullOrEmpty(metadata.GenerateName)))
        {
            errors.Add(new ValidationError("metadata.name", "required"));
        }
        else if (metadata.Name is { Length: > 253 })
        {
            errors.Add(new ValidationError("metadata.name", $"must be at most 253 characters, got {metadata.Name.Length}"));
        }
    }

    private static void ValidateObject(object value, string path, List<ValidationError> errors)
    {
        var type = value.GetType();
        if (type.Namespace?.StartsWith("k8s", StringComparison.Ordinal) == true || value is JsonNode)
        {
            return;
        }

        foreach (var rule in type.GetCustomAttributes<ValidationRuleAttribute>())
        {
            if (rule.ManifestValidatorRule is { } name && ManifestRules.ByName[name](value) is { } broken)
            {
                errors.Add(broken with { Path = FieldPath.Combine(path, broken.Path) });
            }
        }

        foreach (var property in ClrFieldTypes.JsonProperties(type))
        {
            if (property.Name is "ApiVersion" or "Kind" or "Metadata" && value is IKubernetesObject)
            {
                continue;
            }

            var fieldPath = FieldPath.Property(path, ClrFieldTypes.JsonName(property));
            var fieldValue = property.GetValue(value);
            if (fieldValue is null)
            {
                if (property.GetCustomAttribute<RequiredFieldAttribute>() is not null)
                {
                    errors.Add(new ValidationError(fieldPath, "required"));
                }

                continue;
            }

            ValidateField(property, fieldValue, fieldPath, errors);
        }
    }

    private static void ValidateField(PropertyInfo property, object value, string path, List<ValidationError> errors)
    {
        switch (value)
        {
            case string text:
                ValidateString(property, text, path, errors);
                break;
            case ResourceQuantity quantity:
                // The client canonicalizes negative quantities oddly ("-1" prints as "-0.000000000000000001E"): show the value.
                var amount = quantity.ToDecimal();
                ValidateNumber(property, amount, amount < 0 ? amount.ToString(CultureInfo.InvariantCulture) : quantity.ToString(), path, errors, isQuantity: true);
                break;
            case int or long:
                ValidateNumber(property, Convert.ToDecimal(value, CultureInfo.InvariantCulture), ManifestRules.Describe(value), path, errors, isQuantity: false);
                break;
            case Enum when !Enum.IsDefined(value.GetType(), value):
                errors.Add(new ValidationError(path, $"unsupported value {value}; supported: {string.Join(", ", WireNames.Names(value.GetType()))}"));
                break;
            case IDictionary dictionary:
                ValidateMap(property, dictionary, path, errors);
                break;
            case IList list:
                ValidateList(property, list, path, errors);
                break;
            case Enum or bool or DateTime or JsonNode:
                break;
            default:
                ValidateObject(value, path, errors);
                break;
        }
    }

    private static void ValidateString(PropertyInfo property, string text, string path, List<ValidationError> errors)
    {
        var maxLength = property.GetCustomAttribute<Schema.MaxLengthAttribute>()?.Length
            ?? (property.GetCustomAttribute<DurationStringAttribute>() is not null ? DurationStringAttribute.MaxLength : (int?)null);
        if (maxLength is { } limit && text.Length > limit)
        {
            errors.Add(new ValidationError(path, $"must be at most {limit} characters, got {text.Length}"));
            return;
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern && !Regex.IsMatch(text, pattern.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new ValidationError(path, $"must be {pattern.Meaning}, got \"{text}\""));
        }

        if (property.GetCustomAttribute<DurationStringAttribute>() is not null && !Regex.IsMatch(text, DurationStringAttribute.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new ValidationError(path, $"must be a duration such as \"30s\", \"5m\" or \"1h30m\", got \"{text}\""));
        }

        if (property.GetCustomAttribute<NumericStringAttribute>() is { } numeric)
        {
            var ok = Regex.IsMatch(text, NumericStringSchema.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= numeric.Minimum && number <= numeric.Maximum;
            if (!ok)
            {
                errors.Add(new ValidationError(path, $"must be a decimal number string between {Format(numeric.Minimum)} and {Format(numeric.Maximum)}, got \"{text}\""));
            }
        }
    }

    private static void ValidateNumber(PropertyInfo property, decimal number, string shown, string path, List<ValidationError> errors, bool isQuantity)
    {
        if (isQuantity && number < 0)
        {
            errors.Add(new ValidationError(path, $"must not be negative, got {shown}"));
            return;
        }

        if (property.GetCustomAttribute<NumberRangeAttribute>() is { } range
            && ((double)number < range.Minimum || (double)number > range.Maximum))
        {
            errors.Add(new ValidationError(path, $"must be between {Format(range.Minimum)} and {Format(range.Maximum)}, got {shown}"));
        }
    }

    private static void ValidateList(PropertyInfo property, IList list, string path, List<ValidationError> errors)
    {
        var bound = property.GetCustomAttribute<MaxItemsAttribute>();
        if (bound is not null && list.Count > bound.Count)
        {
            errors.Add(new ValidationError(path, $"must have at most {bound.Count} items, got {list.Count}"));
            return;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            switch (list[i])
            {
                case null:
                    errors.Add(new ValidationError(itemPath, "must not be null"));
                    break;
                case string text when bound is { ItemMaxLength: > 0 } && text.Length > bound.ItemMaxLength:
                    errors.Add(new ValidationError(itemPath, $"must be at most {bound.ItemMaxLength} characters, got {text.Length}"));
                    break;
                case string or int or long:
                    break;
                case var item:
                    ValidateObject(item, itemPath, errors);
                    break;
            }
        }
    }

    private static void ValidateMap(PropertyInfo property, IDictionary map, string path, List<ValidationError> errors)
    {
        var bound = property.GetCustomAttribute<MaxPropertiesAttribute>();
        if (bound is not null && map.Count > bound.Count)
        {
            errors.Add(new ValidationError(path, $"must have at most {bound.Count} entries, got {map.Count}"));
            return;
        }

        foreach (DictionaryEntry entry in map)
        {
            var key = (string)entry.Key;
            var entryPath = FieldPath.Property(path, key);
            if (bound is not null && key.Length > bound.KeyMaxLength)
            {
                errors.Add(new ValidationError(entryPath, $"key must be at most {bound.KeyMaxLength} characters, got {key.Length}"));
            }

            switch (entry.Value)
            {
                case string text when bound is { ValueMaxLength: > 0 } && text.Length > bound.ValueMaxLength:
                    errors.Add(new ValidationError(entryPath, $"must be at most {bound.ValueMaxLength} characters, got {text.Length}"));
                    break;
                case IList list:
                    ValidateList(property, list, entryPath, errors);
                    break;
                case null or string:
                    break;
                case var item:
                    ValidateObject(item, entryPath, errors);
                    break;
            }
        }
    }

    private static string Format(double value) =>
        value >= long.MaxValue ? "9223372036854775807" : value.ToString(CultureInfo.InvariantCulture);
}
