using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// The cluster objects the annotation parser reads, fetched by the caller so the parser stays pure: every pool, the
/// workload profiles and the first GPUResourceQuota of the pod's namespace, the scheduling templates by name.
/// </summary>
public sealed record AdmissionLookups(
    IReadOnlyList<GpuPool> Pools,
    IReadOnlyDictionary<string, WorkloadProfile> Profiles,
    GpuResourceQuota? NamespaceQuota,
    IReadOnlyDictionary<string, SchedulingConfigTemplate> SchedulingTemplates,
    GpuModelCatalog Catalog)
{
    public static AdmissionLookups Of(IReadOnlyList<GpuPool> pools) => new(
        pools,
        new Dictionary<string, WorkloadProfile>(StringComparer.Ordinal),
        null,
        new Dictionary<string, SchedulingConfigTemplate>(StringComparer.Ordinal),
        GpuModelCatalog.Default);
}
