using k8s.Models;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Pipelines.Informers;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;

namespace TensorFusion.Pipelines.Operating;

/// <summary>The caches the allocation side reads besides the workload caches: what the GPUs are and who may use them.</summary>
public sealed record InventoryCaches(
    Informer<ApiGpu> Gpus,
    Informer<GpuNode> GpuNodes,
    Informer<GpuResourceQuota> Quotas,
    Informer<SchedulingConfigTemplate> Templates,
    Informer<V1Node> Nodes);
