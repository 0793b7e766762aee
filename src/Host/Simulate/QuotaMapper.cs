using GpuQuota = TensorFusion.Gpu.Quotas.GpuResourceQuota;
using QuotaObject = TensorFusion.Api.Quotas.GpuResourceQuota;

namespace TensorFusion.Host.Simulate;

/// <summary>Maps a GPUResourceQuota object onto the allocator's quota record (namespace = the object's namespace).</summary>
public static class QuotaMapper
{
    public static GpuQuota ToQuota(QuotaObject quota)
    {
        var total = quota.Spec.Total;
        var single = quota.Spec.SingleWorker;
        return new GpuQuota(quota.Metadata?.NamespaceProperty ?? "default")
        {
            TotalRequests = total?.Requests is { } requests ? QuantityConversions.ToResources(requests) : null,
            TotalLimits = total?.Limits is { } limits ? QuantityConversions.ToResources(limits) : null,
            MaxWorkers = total?.MaxWorkers,
            SingleMaxRequests = single?.MaxRequests is { } maxRequests ? QuantityConversions.ToResources(maxRequests) : null,
            SingleMaxLimits = single?.MaxLimits is { } maxLimits ? QuantityConversions.ToResources(maxLimits) : null,
            SingleMaxGpuCount = single?.MaxGpuCount,
        };
    }
}
