using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Api.Tests.Serialization;

/// <summary>The examples set every field of every API type at least once, so the round trip exercises all of them.</summary>
public sealed class ExampleCoverageTests
{
    [Fact]
    public void Examples_SetEveryFieldOfEveryApiType()
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in ApiKinds.All)
        {
            CollectDeclared(kind.Type, declared, []);
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Examples, "*.yaml"))
        {
            foreach (var entry in ManifestReader.Read(File.ReadAllText(file), file).Objects)
            {
                CollectSet(entry.Resource, set);
            }
        }

        var missing = declared.Except(set).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "fields no example sets: " + string.Join(", ", missing));
    }

    private static bool IsApiType(Type type) => type.Namespace?.StartsWith("TensorFusion.Api", StringComparison.Ordinal) == true && type.IsClass;

    private static Type Element(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericArguments() is { Length: > 0 } arguments)
        {
            return Element(arguments[^1]);
        }

        return type;
    }

    private static void CollectDeclared(Type type, HashSet<string> declared, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            declared.Add($"{type.Name}.{property.Name}");
            var element = Element(property.PropertyType);
            if (IsApiType(element))
            {
                CollectDeclared(element, declared, seen);
            }
        }
    }

    private static void CollectSet(object value, HashSet<string> set)
    {
        switch (value)
        {
            case string or JsonNode:
                return;
            case IDictionary dictionary:
                foreach (var item in dictionary.Values)
                {
                    if (item is not null)
                    {
                        CollectSet(item, set);
                    }
                }

                return;
            case IEnumerable list:
                foreach (var item in list)
                {
                    if (item is not null)
                    {
                        CollectSet(item, set);
                    }
                }

                return;
        }

        if (!IsApiType(value.GetType()))
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetValue(value) is { } fieldValue)
            {
                set.Add($"{value.GetType().Name}.{property.Name}");
                CollectSet(fieldValue, set);
            }
        }
    }
}
