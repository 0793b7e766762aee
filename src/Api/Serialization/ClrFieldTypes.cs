using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace TensorFusion.Api.Serialization;

/// <summary>Finds the CLR type behind a field path and names it the way error messages do.</summary>
internal static class ClrFieldTypes
{
    public static Type? TypeAt(Type root, IReadOnlyList<object> segments)
    {
        Type? current = root;
        foreach (var segment in segments)
        {
            current = current is null ? null : Unwrap(current);
            if (current is null)
            {
                return null;
            }

            current = segment switch
            {
                int => ElementType(current),
                string name when DictionaryValueType(current) is { } valueType => valueType,
                string name => FindProperty(current, name)?.PropertyType,
                _ => null,
            };
        }

        return current;
    }

    public static IEnumerable<PropertyInfo> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetCustomAttribute<JsonIgnoreAttribute>() is null && property.GetIndexParameters().Length == 0);

    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    public static PropertyInfo? FindProperty(Type type, string jsonName) =>
        JsonProperties(type).FirstOrDefault(property => JsonName(property) == jsonName);

    public static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    public static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var list = type.GetInterfaces().Append(type)
            .FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return type != typeof(string) && DictionaryValueType(type) is null ? list?.GetGenericArguments()[0] : null;
    }

    public static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    public static string Describe(Type? type)
    {
        if (type is null)
        {
            return "a different value";
        }

        type = Unwrap(type);
        if (type == typeof(int) || type == typeof(long) || type == typeof(uint))
        {
            return "an integer";
        }

        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "a boolean (true or false)";
        }

        if (type == typeof(string))
        {
            return "a string";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", WireNames.Names(type));
        }

        if (type == typeof(ResourceQuantity))
        {
            return "a quantity such as \"10\", \"500m\" or \"16Gi\"";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return "an RFC 3339 time string";
        }

        if (type == typeof(IntOrString))
        {
            return "an integer or a string";
        }

        if (DictionaryValueType(type) is not null)
        {
            return "an object (map)";
        }

        return typeof(IEnumerable).IsAssignableFrom(type) ? "an array" : "an object";
    }
}
