using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Requests;
using ApiIsolation = TensorFusion.Api.Workloads.IsolationMode;
using ApiQos = TensorFusion.Api.Workloads.QosLevel;
using GpuIsolation = TensorFusion.Gpu.Requests.IsolationMode;
using GpuQos = TensorFusion.Gpu.Requests.QosLevel;

namespace TensorFusion.Host.Simulate;

/// <summary>
/// Turns a TensorFusionWorkload into one allocation request per replica (workers <c>name-0</c>, <c>name-1</c>, …).
/// QoS follows upstream's default: unset and requests equal to limits (both non-zero) means high, else the pool's
/// default QoS, else medium.
/// </summary>
public static class WorkloadMapper
{
    public static IReadOnlyList<AllocationRequest> ToRequests(TensorFusionWorkload workload, string pool, ApiQos? poolDefaultQos, List<string> errors)
    {
        var spec = workload.Spec;
        var ns = workload.Metadata?.NamespaceProperty ?? "default";
        var name = workload.Metadata?.Name ?? string.Empty;
        var where = $"TensorFusionWorkload {ns}/{name}";
        var requests = spec.Resources?.Requests;
        var limits = spec.Resources?.Limits;
        if (requests?.Vram is null || (requests.Tflops is null && requests.Compute is null))
        {
            errors.Add($"{where}: spec.resources.requests needs vram and tflops (or compute)");
            return [];
        }

        var requestAmount = QuantityConversions.ToResources(requests);
        var limitAmount = QuantityConversions.ToResources(limits);
        var affinity = ToTerms(spec.NodeAffinity, where, errors);
        if (affinity is null)
        {
            return [];
        }

        var template = new AllocationRequest
        {
            Namespace = ns,
            Workload = name,
            Worker = name,
            Pool = pool,
            Qos = ToQos(spec.Qos, requestAmount, limitAmount, poolDefaultQos),
            Request = requestAmount,
            Limit = limitAmount,
            ComputePercentRequest = QuantityConversions.Percent(requests.Compute),
            ComputePercentLimit = QuantityConversions.Percent(limits?.Compute),
            GpuCount = spec.GpuIndices is { Count: > 0 } indices ? indices.Count : spec.GpuCount ?? 1,
            GpuModel = spec.GpuModel,
            Vendor = spec.Vendor,
            GpuIndices = spec.GpuIndices,
            NodeAffinity = affinity,
            Isolation = ToIsolation(spec.Isolation),
            PartitionTemplate = spec.PartitionTemplateId,
            EvictionProtection = EvictionProtection(workload.Metadata, where, errors),
        };
        return [.. Enumerable.Range(0, spec.Replicas ?? 1).Select(i => template with { Worker = $"{name}-{i}" })];
    }

    private static GpuQos ToQos(ApiQos? qos, Gpu.Capacity.GpuResources requests, Gpu.Capacity.GpuResources limits, ApiQos? poolDefault)
    {
        var effective = qos
            ?? (requests == limits && requests.MilliTflops > 0 && requests.VramBytes > 0 ? ApiQos.High : poolDefault ?? ApiQos.Medium);
        return effective switch
        {
            ApiQos.Low => GpuQos.Low,
            ApiQos.High => GpuQos.High,
            ApiQos.Critical => GpuQos.Critical,
            _ => GpuQos.Medium,
        };
    }

    private static GpuIsolation ToIsolation(ApiIsolation? isolation) => isolation switch
    {
        ApiIsolation.Shared => GpuIsolation.Shared,
        ApiIsolation.Hard => GpuIsolation.Hard,
        ApiIsolation.Partitioned => GpuIsolation.Partitioned,
        _ => GpuIsolation.Soft,
    };

    private static TimeSpan EvictionProtection(V1ObjectMeta? metadata, string where, List<string> errors)
    {
        if (metadata?.Annotations?.TryGetValue(Annotations.EvictionProtection, out var text) != true || string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.Zero;
        }

        if (GoDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        errors.Add($"{where}: annotation {Annotations.EvictionProtection} '{text}' is not a duration such as 30m or 2h");
        return TimeSpan.Zero;
    }

    /// <summary>Required node affinity terms; null (with an error) when an operator is unknown.</summary>
    private static List<NodeSelectorTerm>? ToTerms(V1NodeAffinity? affinity, string where, List<string> errors)
    {
        var terms = new List<NodeSelectorTerm>();
        var source = affinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        for (var t = 0; t < source.Count; t++)
        {
            var requirements = new List<NodeSelectorRequirement>();
            var expressions = source[t].MatchExpressions ?? [];
            for (var e = 0; e < expressions.Count; e++)
            {
                var expression = expressions[e];
                if (!Enum.TryParse<NodeSelectorOperator>(expression.OperatorProperty, ignoreCase: false, out var op))
                {
                    errors.Add($"{where}: spec.nodeAffinity...nodeSelectorTerms[{t}].matchExpressions[{e}].operator " +
                               $"'{expression.OperatorProperty}' must be In, NotIn, Exists, DoesNotExist, Gt or Lt");
                    return null;
                }

                requirements.Add(new NodeSelectorRequirement(expression.Key, op, [.. expression.Values ?? []]));
            }

            terms.Add(new NodeSelectorTerm(requirements));
        }

        return terms;
    }
}
