using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using CsCheck;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Tests.Properties;

/// <summary>
/// CsCheck generators of random <em>valid</em> API objects, built by reflection from the same schema attributes the
/// CRDs and the validator use: every optional field is sometimes absent, every bound is respected.
/// </summary>
internal static class ApiObjectGen
{
    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Gen<object> ForKind(ApiKind kind) =>
        Gen.Select(Name(40), ForClass(kind.Type), (name, resource) =>
        {
            var metadata = new V1ObjectMeta { Name = "o" + name };
            kind.Type.GetProperty("Metadata")!.SetValue(resource, metadata);
            if (kind.Type.GetProperty("Spec") is { } spec && spec.GetValue(resource) is null)
            {
                spec.SetValue(resource, Activator.CreateInstance(spec.PropertyType));
            }

            return resource!;
        });

    private static Gen<object?> ForClass(Type type)
    {
        var properties = ClrFieldTypes.JsonProperties(type)
            .Where(property => property.CanWrite && property.Name is not ("ApiVersion" or "Kind" or "Metadata"))
            .ToList();
        var values = Gen.Const(() => new List<object?>());
        foreach (var property in properties)
        {
            values = values.Select(Optional(property), (list, value) => new List<object?>(list) { value });
        }

        return values.Select(list =>
        {
            var instance = Activator.CreateInstance(type)!;
            for (var i = 0; i < properties.Count; i++)
            {
                properties[i].SetValue(instance, list[i]);
            }

            Repair(instance);
            return (object?)instance;
        });
    }

    private static Gen<object?> Optional(PropertyInfo property)
    {
        var value = ForValue(ClrFieldTypes.Unwrap(property.PropertyType), property);
        if (property.GetCustomAttribute<RequiredFieldAttribute>() is not null || property.Name == "Spec")
        {
            return value;
        }

        return Gen.Int[0, 2].SelectMany(choice => choice == 0 ? Gen.Const(() => (object?)null) : value);
    }

    private static Gen<object?> ForValue(Type type, PropertyInfo property)
    {
        if (type == typeof(string))
        {
            return ForString(property).Select(text => (object?)text);
        }

        if (type == typeof(int))
        {
            var range = property.GetCustomAttribute<NumberRangeAttribute>();
            var min = (int)(range?.Minimum ?? 0);
            var max = (int)Math.Min(range?.Maximum ?? 1000, 100000);
            return Gen.Int[min, max].Select(value => (object?)value);
        }

        if (type == typeof(long))
        {
            return Gen.Long[0, long.MaxValue / 2].Select(value => (object?)value);
        }

        if (type == typeof(bool))
        {
            return Gen.Bool.Select(value => (object?)value);
        }

        if (type.IsEnum)
        {
            var members = Enum.GetValues(type);
            return Gen.Int[0, members.Length - 1].Select(index => members.GetValue(index));
        }

        if (type == typeof(DateTime))
        {
            return Gen.Int[0, 300_000_000].Select(seconds => (object?)Epoch.AddSeconds(seconds));
        }

        if (type == typeof(ResourceQuantity))
        {
            var percent = property.GetCustomAttribute<NumberRangeAttribute>() is not null;
            return percent
                ? Gen.Int[0, 100].Select(value => (object?)new ResourceQuantity(value.ToString(CultureInfo.InvariantCulture)))
                : Gen.Select(Gen.Int[0, 999_999], Pick("", "m", "k", "Mi", "Gi"), (value, suffix) => (object?)new ResourceQuantity(value.ToString(CultureInfo.InvariantCulture) + suffix));
        }

        if (type == typeof(JsonObject))
        {
            return Gen.Int[0, 1000].Select(value => (object?)new JsonObject { ["enable"] = value % 2 == 0, ["count"] = value });
        }

        if (ClrFieldTypes.DictionaryValueType(type) is { } valueType)
        {
            var values = valueType == typeof(string) ? Name(40).Select(text => (object?)text) : ForValue(ClrFieldTypes.Unwrap(valueType), property);
            return Gen.Select(Name(20), values).List[0, 3].Select(pairs =>
            {
                var map = (IDictionary)Activator.CreateInstance(type)!;
                foreach (var (key, value) in pairs)
                {
                    map[key] = value;
                }

                return (object?)map;
            });
        }

        if (ClrFieldTypes.ElementType(type) is { } itemType)
        {
            var items = itemType == typeof(string) ? Name(40).Select(text => (object?)text)
                : itemType == typeof(int) ? Gen.Int[0, 127].Select(value => (object?)value)
                : ForValue(ClrFieldTypes.Unwrap(itemType), property);
            return items.List[0, 3].Select(list =>
            {
                var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
                foreach (var item in list)
                {
                    typed.Add(item);
                }

                return (object?)typed;
            });
        }

        return type.Namespace?.StartsWith("k8s", StringComparison.Ordinal) == true ? KubernetesValue(type) : ForClass(type);
    }

    private static Gen<object?> KubernetesValue(Type type) => Name(20).Select(name => (object?)(type.Name switch
    {
        nameof(V1Condition) => new V1Condition { Type = "Ready", Status = "True", Reason = "R" + name, Message = name, LastTransitionTime = Epoch },
        nameof(V1PodTemplateSpec) => new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" + name }] } },
        nameof(V1NodeAffinity) => new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = NodeSelector(name) },
        nameof(V1NodeSelector) => NodeSelector(name),
        nameof(V1LabelSelector) => new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
        nameof(V1SecretReference) => new V1SecretReference { Name = "s" + name },
        _ => throw new InvalidOperationException($"no generator for embedded Kubernetes type {type.Name}"),
    }));

    private static V1NodeSelector NodeSelector(string value) => new()
    {
        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = [value] }] }],
    };

    private static Gen<string> ForString(PropertyInfo property)
    {
        if (property.GetCustomAttribute<NumericStringAttribute>() is { } numeric)
        {
            return Gen.Int[0, 1000].Select(step => (numeric.Minimum + ((numeric.Maximum - numeric.Minimum) * step / 1000)).ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (property.GetCustomAttribute<DurationStringAttribute>() is not null)
        {
            return Gen.Select(Gen.Int[1, 90], Pick("s", "m", "h", "m30s"), (amount, unit) => amount.ToString(CultureInfo.InvariantCulture) + unit);
        }

        var maxLength = property.GetCustomAttribute<Api.Schema.MaxLengthAttribute>()!.Length;
        return property.GetCustomAttribute<PatternAttribute>()?.Pattern switch
        {
            null => Name(Math.Min(maxLength, 24)),
            CronScalingRule.CronPattern or @"^\S+(\s+\S+){4}$" => Pick("0 8 * * 1-5", "*/5 * * * *", "30 2 1 * *"),
            "^https?://" => Name(20).Select(name => $"https://{name}.example.com/recommend"),
            Pools.QosPricingRates.PricePattern => Gen.Int[0, 99999].Select(value => "$0." + value.ToString(CultureInfo.InvariantCulture)),
            var pattern when pattern.Contains("A-Za-z][A-Za-z0-9_", StringComparison.Ordinal) => Pick("UTC", "Europe/Berlin", "America/New_York"),
            var pattern => throw new InvalidOperationException($"no generator for strings matching {pattern} ({property.DeclaringType!.Name}.{property.Name})"),
        };
    }

    /// <summary>Lower-case names with digits, 1 to <paramref name="maxLength"/> characters.</summary>
    private static Gen<string> Name(int maxLength) =>
        Gen.Int[0, 35].Array[1, Math.Max(1, maxLength)].Select(digits => new string(digits.Select(digit => "abcdefghijklmnopqrstuvwxyz0123456789"[digit]).ToArray()));

    private static Gen<string> Pick(params string[] options) => Gen.Int[0, options.Length - 1].Select(index => options[index]);

    /// <summary>Makes cross-field rules hold (the CEL rules the generator cannot express field by field).</summary>
    private static void Repair(object value)
    {
        switch (value)
        {
            case AutoSetResources auto when double.TryParse(auto.UpdateThreshold, CultureInfo.InvariantCulture, out var threshold)
                                            && double.TryParse(auto.MarginFraction, CultureInfo.InvariantCulture, out var margin)
                                            && threshold > margin:
                (auto.UpdateThreshold, auto.MarginFraction) = (auto.MarginFraction, auto.UpdateThreshold);
                break;
            case CronScalingRule rule when rule.Start is not null && rule.Start == rule.End:
                rule.End = rule.Start == "0 8 * * 1-5" ? "0 20 * * 1-5" : "0 8 * * 1-5";
                break;
            case GangSchedulingConfig { MinMembers: 1 } gang:
                gang.MinMembers = 2;
                break;
            case WorkloadProfileSpec { GangScheduling.MinMembers: > 0 and var minMembers, Replicas: { } replicas } spec when minMembers > replicas:
                spec.Replicas = minMembers;
                break;
            case GpuResourceAmount { Tflops: not null, Compute: not null } amount:
                amount.Compute = null;
                break;
        }
    }
}
