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
        var modes = PlacementModes(templates ?? []);
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
        var poolList = pools.ToList();
        return new AllocationInventory(
            nodeSpecs,
            [.. poolList.Select(pool => ToPool(pool, modes))],
            [.. quotas.Select(ToQuota)],
            uuids,
            DefaultQosByPool(poolList));
    }

    /// <summary>Each template's placement mode by template name (what <see cref="ToPool"/> looks a pool's template up in).</summary>
    public static Dictionary<string, PlacementMode?> PlacementModes(IEnumerable<SchedulingConfigTemplate> templates) =>
        templates.Where(template => template.Metadata?.Name is not null)
            .ToDictionary(template => template.Metadata.Name, template => template.Spec?.Placement?.Mode, StringComparer.Ordinal);

    /// <summary>
    /// A pool's allocation settings: oversubscription ratios (each unset ratio at upstream's default) and the placement
    /// mode of its SchedulingConfigTemplate (upstream's NodeCompactGPULowLoad when it names none, or one not in
    /// <paramref name="modes"/>).
    /// </summary>
    public static PoolSpec ToPool(GpuPool pool, IReadOnlyDictionary<string, PlacementMode?> modes)
    {
        var over = pool.Spec?.CapacityConfig?.Oversubscription;
        var defaults = Oversubscription.Default;
        var mode = pool.Spec?.SchedulingConfigTemplate is { } template ? modes.GetValueOrDefault(template) : null;
        return new PoolSpec(
            pool.Metadata?.Name ?? string.Empty,
            ToStrategy(mode),
            Oversubscription: over is null ? null : new Oversubscription(
                over.TflopsOversellRatio ?? defaults.TflopsOversellPercent,
                over.VramExpandToHostMem ?? defaults.VramExpandToHostMemPercent,
                over.VramExpandToHostDisk ?? defaults.VramExpandToHostDiskPercent));
    }

    /// <summary>The allocator's strategy for a template's placement mode; upstream's default for none.</summary>
    public static PlacementStrategy ToStrategy(PlacementMode? mode) => mode switch
    {
        PlacementMode.CompactFirst => PlacementStrategy.CompactFirst,
        PlacementMode.LowLoadFirst => PlacementStrategy.LowLoadFirst,
        _ => PlacementStrategy.NodeCompactGpuLowLoad,
    };

    /// <summary>Pools that set <c>qosConfig.defaultQoS</c>, by name.</summary>
    public static Dictionary<string, Gpu.Requests.QosLevel> DefaultQosByPool(IEnumerable<GpuPool> pools)
    {
        var defaults = new Dictionary<string, Gpu.Requests.QosLevel>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            if (pool.Metadata?.Name is { } name && WorkerQos.FromApi(pool.Spec?.QosConfig?.DefaultQos) is { } qos)
            {
                defaults[name] = qos;
            }
        }

        return defaults;
    }

    /// <summary>
    /// A GPUResourceQuota as the allocator's ledger entry for its namespace. An amount that omits TFLOPs or VRAM leaves
    /// that dimension unlimited (a quota on VRAM alone must not forbid all compute); an omitted amount is no limit.
    /// </summary>
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
