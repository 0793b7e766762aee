using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Pipelines.Quarantine;

/// <summary>
/// What a decoded object must also satisfy before any controller or the allocator reads it: every quantity in its spec
/// converts to a number (no "1e400", no "99999999999Ei") and is not negative; a workload's or profile's per-GPU
/// requests and limits are within <see cref="RequestBounds"/>. Each answer names the field and its value; null is valid.
/// </summary>
public static class SpecChecks
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Properties = new();

    public static string? Workload(TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Metadata?.Name is { Length: > MaxLabelValueLength } name)
        {
            // Found by the fuzz test: such a workload's workers could never be created, and nothing said why.
            return $"metadata.name: \"{name[..20]}…\" is {name.Length} characters; a workload's name labels its workers " +
                   $"(tensor-fusion.ai/workload) and a label value holds at most {MaxLabelValueLength}";
        }

        return workload.Spec is null ? "spec: missing" : WorkloadSpec(workload.Spec);
    }

    /// <summary>Kubernetes' limit on a label value.</summary>
    public const int MaxLabelValueLength = 63;

    public static string? Profile(WorkloadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Spec is null ? "spec: missing" : WorkloadSpec(profile.Spec);
    }

    /// <summary>Every quantity anywhere under <paramref name="spec"/> (pools, quotas, templates).</summary>
    public static string? Quantities(object? spec) => spec is null ? null : Walk(spec, "spec", depth: 0);

    private static string? WorkloadSpec(WorkloadProfileSpec spec) =>
        Walk(spec, "spec", depth: 0)
        ?? Amount(spec.Resources?.Requests, "spec.resources.requests")
        ?? Amount(spec.Resources?.Limits, "spec.resources.limits")
        ?? (spec.GpuCount is < 1 or > 128 ? $"spec.gpuCount: {spec.GpuCount} is not between 1 and 128" : null)
        ?? (spec.Replicas is < 0 ? $"spec.replicas: {spec.Replicas} is negative" : null);

    private static string? Amount(GpuResourceAmount? amount, string path)
    {
        if (amount is null)
        {
            return null;
        }

        // Quantities convert (Walk ran first), so these are plain numbers; only their size is checked here.
        var tflops = amount.Tflops?.ToDecimal() ?? 0m;
        var vram = amount.Vram?.ToDecimal() ?? 0m;
        if (tflops > RequestBounds.MaxMilliTflops / 1000m)
        {
            return $"{path}.tflops: \"{Text(amount.Tflops)}\" is larger than any GPU could be (at most {RequestBounds.MaxMilliTflops / 1000} TFLOPs per GPU)";
        }

        if (vram > RequestBounds.MaxVramBytes)
        {
            return $"{path}.vram: \"{Text(amount.Vram)}\" is larger than any GPU could be (at most 1Pi per GPU)";
        }

        var compute = amount.Compute?.ToDecimal();
        return compute is > 100m
            ? $"{path}.compute: \"{Text(amount.Compute)}\" is not a percentage between 0 and 100"
            : RequestBounds.Check(new GpuResources((long)(tflops * 1000m), (long)vram), path) is { } problem ? $"{path}: {problem}" : null;
    }

    private static string? Walk(object value, string path, int depth)
    {
        if (depth > 32)
        {
            return null;
        }

        switch (value)
        {
            case ResourceQuantity quantity:
                return Quantity(quantity, path);
            case string or ValueType:
                return null;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Value is { } item && Walk(item, $"{path}[{Convert.ToString(entry.Key, CultureInfo.InvariantCulture)}]", depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case IEnumerable list:
                var index = 0;
                foreach (var item in list)
                {
                    if (item is not null && Walk(item, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]", depth + 1) is { } problem)
                    {
                        return problem;
                    }

                    index++;
                }

                return null;
        }

        var type = value.GetType();
        if (type.Namespace?.StartsWith("TensorFusion.Api", StringComparison.Ordinal) != true)
        {
            // Kubernetes types (pod templates, selectors) are validated by the API server itself.
            return null;
        }

        foreach (var (property, name) in Properties.GetOrAdd(type, Describe))
        {
            if (property.GetValue(value) is { } child && Walk(child, $"{path}.{name}", depth + 1) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Quantity(ResourceQuantity quantity, string path)
    {
        if (!RequestBounds.TryDecimal(quantity.ToDecimal, out var number, out var problem))
        {
            return $"{path}: \"{Text(quantity)}\" {problem}";
        }

        if (number >= long.MaxValue)
        {
            // The Kubernetes client saturates what it cannot hold ("99999999999Ei" reads as 2^63 − 1): not a real amount.
            return $"{path}: \"{Text(quantity)}\" is too large to be an amount (it reads as 2^63 - 1)";
        }

        return number < 0 ? $"{path}: \"{Text(quantity)}\" is negative" : null;
    }

    /// <summary>The quantity as a number a person reads; even printing an absurd one must not throw.</summary>
    private static string Text(ResourceQuantity? quantity)
    {
        try
        {
            // The number where it has one (the client's canonical text of a negative quantity is wrong: "-5" prints as "-0.0…05E").
            return quantity is null ? string.Empty
                : RequestBounds.TryDecimal(quantity.ToDecimal, out var number, out _) && number < long.MaxValue ? number.ToString(CultureInfo.InvariantCulture)
                : quantity.ToString();
        }
        catch (Exception e) when (e is OverflowException or FormatException or ArgumentException or InvalidOperationException)
        {
            return "(a value too large to print)";
        }
    }

    private static (PropertyInfo, string)[] Describe(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0 && property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(property => (property, property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy(property.Name)))];

    private static string JsonNamingPolicy(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
