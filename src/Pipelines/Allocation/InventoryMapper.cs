using TensorFusion.Api.Conventions;
using TensorFusion.Api.Gpus;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Scheduling;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;
using ApiQuota = TensorFusion.Api.Quotas.GpuResourceQuota;
using GpuQuota = TensorFusion.Gpu.Quotas.GpuResourceQuota;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Maps the cluster's GPU, GPUNode, GPUPool and GPUResourceQuota objects to the allocator's inventory. A GPU belongs to
/// the node named by <c>status.nodeSelector["kubernetes.io/hostname"]</c> and to the pool in its
/// <c>tensor-fusion.ai/gpupool</c> label; GPUs without both are skipped and reported.
/// </summary>
public static class InventoryMapper
{
    public const string HostnameKey = "kubernetes.io/hostname";

    public static AllocationInventory Map(
        IEnumerable<ApiGpu> gpus, IEnumerable<GpuNode> nodes, IEnumerable<GpuPool> pools, IEnumerable<ApiQuota> quotas, List<string> skipped,
        IEnumerable<SchedulingConfigTemplate>? templates = null)
    {
        var modes = (templates ?? []).Where(template => template.Metadata?.Name is not null)
            .ToDictionary(template => template.Metadata.Name, template => template.Spec?.Placement?.Mode, StringComparer.Ordinal);
        var nodeLabels = nodes.Where(node => node.Metadata?.Name is not null)
            .ToDictionary(node => node.Metadata.Name, node => (IReadOnlyDictionary<string, string>)(node.Metadata.Labels ?? new Dictionary<string, string>()), StringComparer.Ordinal);
        var byNode = new SortedDictionary<string, (string Pool, List<GpuSpec> Gpus)>(StringComparer.Ordinal);
        var uuids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var gpu in gpus.OrderBy(gpu => gpu.Metadata?.Name, StringComparer.Ordinal))
        {
            var name = gpu.Metadata?.Name ?? "?";
            var status = gpu.Status;
            var node = status?.NodeSelector?.GetValueOrDefault(HostnameKey);
            var pool = MetadataValues.Get(gpu.Metadata?.Labels, Labels.GpuPool);
            var model = status?.GpuModel ?? status?.Model;
            if (string.IsNullOrEmpty(node) || string.IsNullOrEmpty(pool) || string.IsNullOrEmpty(model))
            {
                skipped.Add($"GPU {name}: needs status.nodeSelector[{HostnameKey}], label {Labels.GpuPool} and status.gpuModel");
                continue;
            }

            if (!byNode.TryGetValue(node, out var entry))
            {
                byNode[node] = entry = (pool, []);
            }

            if (!string.IsNullOrEmpty(status!.Uuid))
            {
                uuids[name] = status.Uuid;
            }

            entry.Gpus.Add(new GpuSpec(
                name,
                status!.Index ?? entry.Gpus.Count,
                model,
                Running: status.Phase is null or GpuPhase.Running,
                UsedBy: status.UsedBy == GpuUsedBy.NvidiaDevicePlugin ? "nvidia-device-plugin" : null));
        }

        var nodeSpecs = byNode.Select(pair => new NodeSpec(
            pair.Key, pair.Value.Pool, nodeLabels.GetValueOrDefault(pair.Key) ?? new Dictionary<string, string>(), pair.Value.Gpus)).ToArray();
        return new AllocationInventory(
            nodeSpecs,
            [.. pools.Select(pool => ToPool(pool) with { Strategy = StrategyOf(pool, modes) })],
            [.. quotas.Select(ToQuota)],
            uuids);
    }

    public static PoolSpec ToPool(GpuPool pool)
    {
        var over = pool.Spec?.CapacityConfig?.Oversubscription;
        var defaults = Oversubscription.Default;
        return new PoolSpec(
            pool.Metadata?.Name ?? string.Empty,
            Oversubscription: over is null ? null : new Oversubscription(
                over.TflopsOversellRatio ?? defaults.TflopsOversellPercent,
                over.VramExpandToHostMem ?? defaults.VramExpandToHostMemPercent,
                over.VramExpandToHostDisk ?? defaults.VramExpandToHostDiskPercent));
    }

    /// <summary>The placement mode of the pool's SchedulingConfigTemplate; upstream's default when it names none or an unknown one.</summary>
    private static PlacementStrategy StrategyOf(GpuPool pool, Dictionary<string, PlacementMode?> modes) =>
        pool.Spec?.SchedulingConfigTemplate is { } name && modes.GetValueOrDefault(name) is { } mode
            ? mode switch
            {
                PlacementMode.CompactFirst => PlacementStrategy.CompactFirst,
                PlacementMode.LowLoadFirst => PlacementStrategy.LowLoadFirst,
                _ => PlacementStrategy.NodeCompactGpuLowLoad,
            }
            : PlacementStrategy.NodeCompactGpuLowLoad;

    public static GpuQuota ToQuota(ApiQuota quota)
    {
        var spec = quota.Spec;
        return new GpuQuota(quota.Metadata?.NamespaceProperty ?? quota.Metadata?.Name ?? "default")
        {
            TotalRequests = ToResources(spec?.Total?.Requests),
            TotalLimits = ToResources(spec?.Total?.Limits),
            MaxWorkers = spec?.Total?.MaxWorkers,
            SingleMaxRequests = ToResources(spec?.SingleWorker?.MaxRequests),
            SingleMaxLimits = ToResources(spec?.SingleWorker?.MaxLimits),
            SingleMaxGpuCount = spec?.SingleWorker?.MaxGpuCount,
        };
    }

    private static GpuResources? ToResources(GpuResourceAmount? amount) => amount is null
        ? null
        : new GpuResources(
            amount.Tflops is { } tflops ? (long)Math.Round(tflops.ToDecimal() * 1000m) : long.MaxValue,
            amount.Vram is { } vram ? (long)vram.ToDecimal() : long.MaxValue);
}
