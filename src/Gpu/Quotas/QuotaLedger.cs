using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Quotas;

/// <summary>
/// Usage per namespace against its <see cref="GpuResourceQuota"/>. A worker counts request × GPU count and limit × GPU
/// count; compute-percent requests count no TFLOPs (their TFLOPs depend on the GPU chosen; upstream has the same limit).
/// </summary>
public sealed class QuotaLedger
{
    private readonly Dictionary<string, GpuResourceQuota> _quotas;
    private readonly Dictionary<string, QuotaUsage> _usage = new(StringComparer.Ordinal);

    public QuotaLedger(IEnumerable<GpuResourceQuota> quotas) =>
        _quotas = quotas.ToDictionary(quota => quota.Namespace, StringComparer.Ordinal);

    public QuotaUsage UsageOf(string @namespace) => _usage.GetValueOrDefault(@namespace) ?? QuotaUsage.None;

    /// <summary>Null when the worker fits its namespace's quota; otherwise a message naming the field, the figures and the limit.</summary>
    public string? Check(AllocationRequest request)
    {
        if (!_quotas.TryGetValue(request.Namespace, out var quota))
        {
            return null;
        }

        var (perGpuRequest, perGpuLimit) = Amounts(request);
        var where = $"GPUResourceQuota {request.Namespace}";
        if (quota.SingleMaxGpuCount is { } maxGpus && request.GpuCount > maxGpus)
        {
            return $"{where}: single.maxGPUCount is {maxGpus} but worker {request.WorkerId} asks for {request.GpuCount} GPUs";
        }

        var single = Exceeds(quota.SingleMaxRequests, perGpuRequest, "single.maxRequests", request, "requests")
                     ?? Exceeds(quota.SingleMaxLimits, perGpuLimit, "single.maxLimits", request, "limits");
        if (single is not null)
        {
            return $"{where}: {single}";
        }

        var used = UsageOf(request.Namespace);
        if (quota.MaxWorkers is { } maxWorkers && used.Workers + 1 > maxWorkers)
        {
            return $"{where}: total.maxWorkers is {maxWorkers} and {used.Workers} workers are already placed";
        }

        return Total(quota.TotalRequests, used.Requests, perGpuRequest * request.GpuCount, "total.requests", where, request.GpuCount)
               ?? Total(quota.TotalLimits, used.Limits, perGpuLimit * request.GpuCount, "total.limits", where, request.GpuCount);
    }

    public void Add(AllocationRequest request) => Change(request, +1);

    public void Remove(AllocationRequest request) => Change(request, -1);

    private void Change(AllocationRequest request, int sign)
    {
        var (perGpuRequest, perGpuLimit) = Amounts(request);
        var used = UsageOf(request.Namespace);
        _usage[request.Namespace] = new QuotaUsage(
            used.Requests + (perGpuRequest * (request.GpuCount * sign)),
            used.Limits + (perGpuLimit * (request.GpuCount * sign)),
            used.Workers + sign);
    }

    private static (GpuResources Request, GpuResources Limit) Amounts(AllocationRequest request)
    {
        var requestAmount = request.ComputePercentRequest is null ? request.Request : request.Request with { MilliTflops = 0 };
        var limitAmount = request.ComputePercentLimit is null ? request.Limit : request.Limit with { MilliTflops = 0 };
        return (requestAmount, new GpuResources(
            Math.Max(requestAmount.MilliTflops, limitAmount.MilliTflops), Math.Max(requestAmount.VramBytes, limitAmount.VramBytes)));
    }

    private static string? Exceeds(GpuResources? ceiling, GpuResources amount, string field, AllocationRequest request, string what)
    {
        if (ceiling is not { } max)
        {
            return null;
        }

        if (amount.MilliTflops > max.MilliTflops)
        {
            return $"{field}.tflops is {max.Tflops:0.###} but worker {request.WorkerId} {what} {amount.Tflops:0.###} TFLOPs per GPU";
        }

        return amount.VramBytes > max.VramBytes
            ? $"{field}.vram is {ByteSize.Format(max.VramBytes)} but worker {request.WorkerId} {what} {ByteSize.Format(amount.VramBytes)} per GPU"
            : null;
    }

    private static string? Total(GpuResources? ceiling, GpuResources used, GpuResources adding, string field, string where, int gpus)
    {
        if (ceiling is not { } max)
        {
            return null;
        }

        var after = used + adding;
        if (after.MilliTflops > max.MilliTflops)
        {
            return $"{where}: {field}.tflops would reach {after.Tflops:0.###} (used {used.Tflops:0.###} + {adding.Tflops:0.###} for {gpus} GPU(s)), over the limit {max.Tflops:0.###}";
        }

        return after.VramBytes > max.VramBytes
            ? $"{where}: {field}.vram would reach {ByteSize.Format(after.VramBytes)} (used {ByteSize.Format(used.VramBytes)} + {ByteSize.Format(adding.VramBytes)} for {gpus} GPU(s)), over the limit {ByteSize.Format(max.VramBytes)}"
            : null;
    }
}
