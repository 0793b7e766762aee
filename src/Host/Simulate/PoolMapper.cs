using TensorFusion.Api.Pools;
using TensorFusion.Api.Scheduling;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Host.Simulate;

/// <summary>
/// Maps GPUPool (oversubscription) and its SchedulingConfigTemplate (placement mode) onto the allocator's
/// <see cref="PoolSpec"/>. A strategy given on the command line overrides every pool's template.
/// </summary>
public static class PoolMapper
{
    public static PoolSpec ToPoolSpec(string name, GpuPool? pool, IReadOnlyDictionary<string, SchedulingConfigTemplate> templates,
        PlacementStrategy? overrideStrategy, List<string> errors)
    {
        var strategy = overrideStrategy ?? PlacementStrategy.NodeCompactGpuLowLoad;
        if (overrideStrategy is null && pool?.Spec.SchedulingConfigTemplate is { Length: > 0 } templateName)
        {
            if (templates.TryGetValue(templateName, out var template))
            {
                strategy = ToStrategy(template.Spec.Placement?.Mode) ?? strategy;
            }
            else
            {
                errors.Add($"GPUPool {name}: spec.schedulingConfigTemplate '{templateName}' is not among the input documents");
            }
        }

        var ratios = pool?.Spec.CapacityConfig?.Oversubscription;
        var defaults = Oversubscription.Default;
        var oversubscription = ratios is null
            ? defaults
            : new Oversubscription(
                ratios.TflopsOversellRatio ?? defaults.TflopsOversellPercent,
                ratios.VramExpandToHostMem ?? defaults.VramExpandToHostMemPercent,
                ratios.VramExpandToHostDisk ?? defaults.VramExpandToHostDiskPercent);
        return new PoolSpec(name, strategy, oversubscription);
    }

    public static PlacementStrategy? ToStrategy(PlacementMode? mode) => mode switch
    {
        PlacementMode.CompactFirst => PlacementStrategy.CompactFirst,
        PlacementMode.LowLoadFirst => PlacementStrategy.LowLoadFirst,
        PlacementMode.NodeCompactGpuLowLoad => PlacementStrategy.NodeCompactGpuLowLoad,
        _ => null,
    };

    /// <summary>Parses the CLI spelling (upstream's names, case-insensitive).</summary>
    public static PlacementStrategy? ParseStrategy(string text) => text.ToUpperInvariant() switch
    {
        "COMPACTFIRST" => PlacementStrategy.CompactFirst,
        "LOWLOADFIRST" => PlacementStrategy.LowLoadFirst,
        "NODECOMPACTGPULOWLOAD" => PlacementStrategy.NodeCompactGpuLowLoad,
        _ => null,
    };
}
