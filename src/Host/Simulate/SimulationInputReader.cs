using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Host.Simulate;

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
        var poolSpecs = poolNames.Select(name => PoolMapper.ToPoolSpec(name, pools.GetValueOrDefault(name), templates, strategy, errors)).ToList();
        var quotas = resources.OfType<GpuResourceQuota>().Select(QuotaMapper.ToQuota).ToList();

        var workloads = resources.OfType<TensorFusionWorkload>().ToList();
        if (workloads.Count == 0 && manifest.Errors.Count == 0)
        {
            errors.Add($"{workloadsSource}: no TensorFusionWorkload documents found");
        }

        var requests = new List<AllocationRequest>();
        foreach (var workload in workloads)
        {
            var pool = workload.Spec.PoolName ?? (poolNames.Count == 1 ? poolNames[0] : FleetReader.DefaultPool);
            var defaultQos = pools.GetValueOrDefault(pool)?.Spec.QosConfig?.DefaultQos;
            requests.AddRange(WorkloadMapper.ToRequests(workload, pool, defaultQos, errors));
        }

        var duplicates = requests.GroupBy(request => request.WorkerId, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        errors.AddRange(duplicates.Select(worker => $"{workloadsSource}: worker {worker} is produced by two workloads"));
        return errors.Count > 0 ? (null, errors) : (new SimulationInput(nodes, poolSpecs, quotas, requests, catalog, batchSize), errors);
    }
}
