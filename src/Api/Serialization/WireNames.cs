using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// The wire spelling of API enums (from <see cref="JsonStringEnumMemberNameAttribute"/>), exact and case-sensitive
/// as the CRD enums are. Use it to read annotation values and to print enum values.
/// </summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Name, object Value)>> Cache = new();

    /// <summary>Wire names of every member of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType) => Members(enumType).Select(member => member.Name).ToList();

    public static string ToWire<T>(T value)
        where T : struct, Enum
    {
        foreach (var (name, member) in Members(typeof(T)))
        {
            if (member.Equals(value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no wire name for this value");
    }

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (TryParse(typeof(T), text, out var boxed))
        {
            value = (T)boxed;
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryParse(Type enumType, string? text, out object value)
    {
        foreach (var (name, member) in Members(enumType))
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = member;
                return true;
            }
        }

        value = 0;
        return false;
    }

    internal static IReadOnlyList<(string Name, object Value)> Members(Type enumType) =>
        Cache.GetOrAdd(enumType, type => type
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(field => field.MetadataToken)
            .Select(field => (
                field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name,
                field.GetValue(null)!))
            .ToList());
}
