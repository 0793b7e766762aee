using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// The allocation as recorded on the worker pod, the durable truth an operator restart rebuilds from:
/// <c>tensor-fusion.ai/gpu-ids</c>, the effective per-GPU request and limit (TFLOPs in milli units, VRAM in bytes, so
/// the values round-trip exactly), the MIG instances and the time of placement (for eviction protection).
/// </summary>
public static class AllocationAnnotations
{
    /// <summary>MIG instances as <c>gpu:profile@start</c>, comma separated (ours; upstream keeps them in GPU status).</summary>
    public const string Partitions = Labels.Prefix + "allocated-partitions";

    /// <summary>When the allocator placed the worker (RFC 3339), so eviction protection survives a restart.</summary>
    public const string AllocatedAt = Labels.Prefix + "allocated-at";

    public static Dictionary<string, string> For(WorkerAllocation allocation)
    {
        var first = allocation.Shares[0];
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Annotations.GpuIds] = string.Join(',', allocation.Shares.Select(share => share.Gpu)),
            [Annotations.TflopsRequest] = Milli(first.Request.MilliTflops),
            [Annotations.TflopsLimit] = Milli(first.Limit.MilliTflops),
            [Annotations.VramRequest] = first.Request.VramBytes.ToString(CultureInfo.InvariantCulture),
            [Annotations.VramLimit] = first.Limit.VramBytes.ToString(CultureInfo.InvariantCulture),
            [Annotations.GpuPool] = allocation.Request.Pool,
            [Annotations.Qos] = allocation.Request.Qos.ToString().ToLowerInvariant(),
            [Annotations.Isolation] = allocation.Request.Isolation.ToString().ToLowerInvariant(),
            [Annotations.GpuCount] = allocation.Shares.Count.ToString(CultureInfo.InvariantCulture),
            [AllocatedAt] = allocation.AllocatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
        var partitions = allocation.Shares.Where(share => share.Partition is not null)
            .Select(share => $"{share.Gpu}:{share.Partition!.Profile}@{share.Partition.Start.ToString(CultureInfo.InvariantCulture)}")
            .ToArray();
        if (partitions.Length > 0)
        {
            annotations[Partitions] = string.Join(',', partitions);
        }

        return annotations;
    }

    /// <summary>
    /// Reads a bound worker's allocation back; null when the pod carries none (not yet placed). A damaged record is an
    /// error naming the annotation, never a guess.
    /// </summary>
    public static (WorkerAllocation? Allocation, string? Error) Read(V1Pod pod)
    {
        var annotations = pod.Metadata?.Annotations;
        if (annotations is null || !annotations.TryGetValue(Annotations.GpuIds, out var ids) || string.IsNullOrWhiteSpace(ids))
        {
            return (null, null);
        }

        var node = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(node))
        {
            // Annotated but never bound (left by an operator that annotated and bound in two writes): still pending, placed again.
            return (null, null);
        }

        var where = $"pod {pod.Metadata!.NamespaceProperty}/{pod.Metadata.Name}";
        var mapping = WorkerRequestMapper.Map(pod);
        if (mapping.Request is not { } request)
        {
            return (null, mapping.Error);
        }

        var partitions = new Dictionary<string, MigPlacement>(StringComparer.Ordinal);
        if (annotations.TryGetValue(Partitions, out var partitionText) && !TryReadPartitions(partitionText, partitions))
        {
            return (null, $"{where}: annotation {Partitions} '{partitionText}' must list gpu:profile@start entries");
        }

        var allocatedAt = annotations.TryGetValue(AllocatedAt, out var atText)
            && DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : pod.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(created, TimeSpan.Zero) : DateTimeOffset.UnixEpoch;
        var shareRequest = new GpuResources(request.Request.MilliTflops, request.Request.VramBytes);
        var shareLimit = new GpuResources(
            Math.Max(request.Limit.MilliTflops, shareRequest.MilliTflops), Math.Max(request.Limit.VramBytes, shareRequest.VramBytes));
        var shares = ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(gpu => new GpuShare(gpu, shareRequest, shareLimit, partitions.GetValueOrDefault(gpu)))
            .ToArray();
        return (new WorkerAllocation(request with { GpuCount = shares.Length }, node, shares, allocatedAt), null);
    }

    private static bool TryReadPartitions(string text, Dictionary<string, MigPlacement> into)
    {
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.LastIndexOf(':');
            var at = entry.LastIndexOf('@');
            if (colon <= 0 || at < colon + 2
                || !int.TryParse(entry.AsSpan(at + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
            {
                return false;
            }

            into[entry[..colon]] = new MigPlacement(entry[(colon + 1)..at], start);
        }

        return true;
    }

    private static string Milli(long milli) => milli % 1000 == 0
        ? (milli / 1000).ToString(CultureInfo.InvariantCulture)
        : milli.ToString(CultureInfo.InvariantCulture) + "m";
}
