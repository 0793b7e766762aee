using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Estimators.Options;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Reads a worker pod into an allocation request. Per-GPU resources come from the pod's annotations (as upstream's
/// webhook writes them) or, where missing, from the owning workload; a bind writes them all back onto the pod, so after
/// a restart the pod alone rebuilds its allocation. Every error names the pod and the annotation.
/// </summary>
public static class WorkerRequestMapper
{
    public const string SchedulerName = "tensor-fusion-scheduler";

    /// <summary>True for our unbound workers: our scheduler name, the workload label, no node yet, not terminating.</summary>
    public static bool IsPendingWorker(V1Pod pod) =>
        pod.Spec?.SchedulerName == SchedulerName
        && string.IsNullOrEmpty(pod.Spec.NodeName)
        && pod.Metadata?.DeletionTimestamp is null
        && pod.Metadata?.Labels?.ContainsKey(Labels.Workload) == true;

    /// <summary>
    /// Maps the pod alone: the reconciler (or the webhook) wrote what the worker needs onto it when it was created
    /// (<see cref="Workloads.WorkloadAnnotationDefaults.StampOnto"/>), and a resize rewrites it. A worker without a QoS
    /// gets upstream's default (<see cref="WorkerQos"/>), for which <paramref name="poolDefaultQos"/> gives a pool's
    /// <c>qosConfig.defaultQoS</c>.
    /// </summary>
    public static WorkerMapping Map(V1Pod pod, Func<string, QosLevel?>? poolDefaultQos = null)
    {
        var meta = pod.Metadata ?? new V1ObjectMeta();
        var podKey = ObjectKey.Of(meta);
        var ns = podKey.Namespace;
        var where = $"pod {podKey}";
        var annotations = meta.Annotations ?? new Dictionary<string, string>();
        var labels = meta.Labels ?? new Dictionary<string, string>();
        if (!labels.TryGetValue(Labels.Workload, out var workload) || string.IsNullOrEmpty(workload))
        {
            return WorkerMapping.Invalid($"{where}: label {Labels.Workload} is missing");
        }

        var pool = MetadataValues.Get(annotations, Annotations.GpuPool) ?? MetadataValues.Get(labels, Labels.GpuPool);
        if (string.IsNullOrEmpty(pool))
        {
            return WorkerMapping.Invalid($"{where}: annotation {Annotations.GpuPool} is missing");
        }

        var errors = new List<string>();
        var reader = new AnnotationReader(annotations, errors);
        var request = new GpuResources(reader.MilliTflops(Annotations.TflopsRequest), reader.Bytes(Annotations.VramRequest));
        var limit = new GpuResources(reader.MilliTflops(Annotations.TflopsLimit), reader.Bytes(Annotations.VramLimit));
        var computeRequest = reader.Percent(Annotations.ComputePercentRequest);
        var computeLimit = reader.Percent(Annotations.ComputePercentLimit);
        var indices = reader.IntList(Annotations.GpuIndices);
        var count = reader.Int(Annotations.GpuCount) ?? indices?.Count ?? 1;
        var qos = WorkerQos.Resolve(reader.Enum<QosLevel>(Annotations.Qos), request, limit, poolDefaultQos?.Invoke(pool));
        var isolation = reader.Enum<IsolationMode>(Annotations.Isolation) ?? IsolationMode.Soft;
        var affinity = NodeAffinityMapper.ToTerms(pod.Spec?.Affinity?.NodeAffinity, out var affinityError);
        if (affinityError is not null)
        {
            errors.Add(affinityError);
        }

        var protection = TimeSpan.Zero;
        if (annotations.TryGetValue(Annotations.EvictionProtection, out var text) && !GoDuration.TryParse(text, out protection))
        {
            errors.Add($"annotation {Annotations.EvictionProtection} '{text}' is not a duration such as 30m");
        }

        var gangKey = MetadataValues.Get(annotations, Annotations.GangGroupKey);
        var gangRequired = reader.Int(Annotations.GangRequiredMembers);
        if (gangKey is { Length: > 0 } && gangRequired is null)
        {
            errors.Add($"annotation {Annotations.GangRequiredMembers} is missing beside {Annotations.GangGroupKey}");
        }

        TimeSpan? gangTimeout = null;
        if (annotations.TryGetValue(Annotations.GangTimeout, out var timeoutText) && !string.IsNullOrWhiteSpace(timeoutText))
        {
            if (GoDuration.TryParse(timeoutText, out var parsed))
            {
                gangTimeout = parsed > TimeSpan.Zero ? parsed : null;
            }
            else
            {
                errors.Add($"annotation {Annotations.GangTimeout} '{timeoutText}' is not a duration such as 5m");
            }
        }

        if (request.VramBytes == 0 && request.MilliTflops == 0 && computeRequest is null && isolation != IsolationMode.Partitioned)
        {
            errors.Add($"annotations {Annotations.TflopsRequest}/{Annotations.VramRequest}: the worker requests nothing");
        }

        if (errors.Count > 0)
        {
            return WorkerMapping.Invalid($"{where}: {string.Join("; ", errors)}");
        }

        return WorkerMapping.Ok(new AllocationRequest
        {
            Namespace = ns,
            Workload = workload,
            Worker = meta.Name ?? string.Empty,
            Pool = pool,
            Qos = qos,
            Request = request,
            Limit = limit,
            ComputePercentRequest = computeRequest,
            ComputePercentLimit = computeLimit,
            GpuCount = count,
            GpuModel = MetadataValues.Get(annotations, Annotations.GpuModel),
            Vendor = MetadataValues.Get(annotations, Annotations.Vendor),
            GpuIndices = indices,
            NodeAffinity = affinity is { Count: > 0 } ? affinity : null,
            Isolation = isolation,
            PartitionTemplate = MetadataValues.Get(annotations, Annotations.PartitionId) is { Length: > 0 } partition
                && !partition.Contains('@', StringComparison.Ordinal) ? partition : null,
            EvictionProtection = protection,
            Gang = gangKey is { Length: > 0 } && gangRequired is { } required ? new GangMembership(gangKey, required, gangTimeout) : null,
        });
    }

    /// <summary>Parses annotation values, collecting one error per bad annotation.</summary>
    private sealed class AnnotationReader(IDictionary<string, string> annotations, List<string> errors)
    {
        public long MilliTflops(string key) => Bounded(key, Quantity(key), 1000m, RequestBounds.MaxMilliTflops, "TFLOPs");

        public long Bytes(string key) => Bounded(key, Quantity(key), 1m, RequestBounds.MaxVramBytes, "bytes");

        /// <summary>The value in the allocator's unit; an absurd one is an error naming the annotation, never an overflow.</summary>
        private long Bounded(string key, decimal? value, decimal scale, long max, string unit)
        {
            if (value is not { } amount)
            {
                return 0;
            }

            if (amount > max / scale)
            {
                errors.Add($"annotation {key} '{annotations[key]}' is larger than any GPU could be (at most {(max / scale).ToString(CultureInfo.InvariantCulture)} {unit} per GPU)");
                return 0;
            }

            return (long)Math.Round(amount * scale);
        }

        public double? Percent(string key)
        {
            if (Quantity(key) is not { } value)
            {
                return null;
            }

            if (value is < 0 or > 100)
            {
                errors.Add($"annotation {key} '{annotations[key]}' must be between 0 and 100");
                return null;
            }

            return (double)value;
        }

        public int? Int(string key)
        {
            if (!annotations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                return value;
            }

            errors.Add($"annotation {key} '{text}' is not a positive integer");
            return null;
        }

        public List<int>? IntList(string key)
        {
            if (!annotations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var values = new List<int>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
                {
                    errors.Add($"annotation {key} '{text}' must list GPU indices such as 0,1");
                    return null;
                }

                values.Add(index);
            }

            return values;
        }

        public T? Enum<T>(string key)
            where T : struct, Enum
        {
            if (!annotations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0]))
            {
                return value;
            }

            errors.Add($"annotation {key} '{text}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
            return null;
        }

        private decimal? Quantity(string key)
        {
            if (!annotations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (!RequestBounds.TryDecimal(() => new ResourceQuantity(text).ToDecimal(), out var value, out var problem))
            {
                errors.Add($"annotation {key} '{text}' {problem}");
                return null;
            }

            if (value >= 0)
            {
                return value;
            }

            errors.Add($"annotation {key} '{text}' is not a non-negative quantity such as 10, 500m or 16Gi");
            return null;
        }
    }
}
