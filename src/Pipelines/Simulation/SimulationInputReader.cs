using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Simulation;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Simulation;

/// <summary>
/// Reads fleet.yaml and workloads.yaml (TensorFusionWorkload documents, plus optional GPUPool,
/// SchedulingConfigTemplate and GPUResourceQuota documents) into a <see cref="SimulationInput"/>, collecting every error.
/// </summary>
public static class SimulationInputReader
{
    public static (SimulationInput? Input, IReadOnlyList<string> Errors) Read(
        string fleetText, string fleetSource, string workloadsText, string workloadsSource,
        PlacementStrategy? strategy, GpuModelCatalog catalog, int batchSize = 0)
    {
        var (nodes, fleetErrors) = FleetReader.Read(fleetText, fleetSource, catalog);
        var errors = new List<string>(fleetErrors);
        var manifest = ManifestReader.Read(workloadsText, workloadsSource);
        errors.AddRange(manifest.Errors.Select(error => error.ToString()));

        var resources = manifest.Objects.Select(entry => entry.Resource).ToList();
        var pools = resources.OfType<GpuPool>().ToDictionary(pool => pool.Metadata?.Name ?? string.Empty, StringComparer.Ordinal);
        var templates = resources.OfType<SchedulingConfigTemplate>()
            .ToDictionary(template => template.Metadata?.Name ?? string.Empty, StringComparer.Ordinal);
        var poolNames = nodes.Select(node => node.Pool).Distinct(StringComparer.Ordinal).ToList();
        var modes = InventoryMapper.PlacementModes(templates.Values);
        foreach (var pool in pools.Values)
        {
            if (pool.Spec?.SchedulingConfigTemplate is { Length: > 0 } templateName && !templates.ContainsKey(templateName))
            {
                errors.Add($"GPUPool {pool.Metadata?.Name}: spec.schedulingConfigTemplate '{templateName}' is not among the input documents");
            }
        }

        var poolSpecs = poolNames
            .Select(name => pools.TryGetValue(name, out var pool) ? InventoryMapper.ToPool(pool, modes) : new PoolSpec(name))
            .Select(pool => strategy is { } chosen ? pool with { Strategy = chosen } : pool)
            .ToList();
        var defaultQos = InventoryMapper.DefaultQosByPool(pools.Values);
        var quotas = resources.OfType<GpuResourceQuota>().Select(InventoryMapper.ToQuota).ToList();

        var workloads = resources.OfType<TensorFusionWorkload>().ToList();
        if (workloads.Count == 0 && manifest.Errors.Count == 0)
        {
            errors.Add($"{workloadsSource}: no TensorFusionWorkload documents found");
        }

        var requests = new List<AllocationRequest>();
        foreach (var workload in workloads)
        {
            var pool = workload.Spec.PoolName ?? (poolNames.Count == 1 ? poolNames[0] : FleetReader.DefaultPool);
            requests.AddRange(SimulatedWorkers.ToRequests(workload, pool, defaultQos.TryGetValue(pool, out var qos) ? qos : null, errors));
        }

        var duplicates = requests.GroupBy(request => request.WorkerId, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        errors.AddRange(duplicates.Select(worker => $"{workloadsSource}: worker {worker} is produced by two workloads"));
        return errors.Count > 0 ? (null, errors) : (new SimulationInput(nodes, poolSpecs, quotas, requests, catalog, batchSize), errors);
    }
}
