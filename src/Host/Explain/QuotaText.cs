using TensorFusion.Api.Quotas;

namespace TensorFusion.Host.Explain;

/// <summary>One line about a namespace's GPUResourceQuota: what is used against each total that is set.</summary>
public static class QuotaText
{
    public static string Describe(GpuResourceQuotaSpec spec, GpuResourceQuotaStatus status)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(status);
        var parts = new List<string>();
        Add(parts, "requested TFLOPs", status.Used?.Requests?.Tflops, spec.Total?.Requests?.Tflops);
        Add(parts, "requested VRAM", status.Used?.Requests?.Vram, spec.Total?.Requests?.Vram);
        Add(parts, "TFLOPs limits", status.Used?.Limits?.Tflops, spec.Total?.Limits?.Tflops);
        Add(parts, "VRAM limits", status.Used?.Limits?.Vram, spec.Total?.Limits?.Vram);
        if (spec.Total?.MaxWorkers is { } maxWorkers)
        {
            parts.Add($"workers {status.Used?.Workers ?? 0} of {maxWorkers}");
        }

        return parts.Count == 0 ? "no totals set" : string.Join(", ", parts);
    }

    private static void Add(List<string> parts, string what, k8s.Models.ResourceQuantity? used, k8s.Models.ResourceQuantity? total)
    {
        if (total is not null)
        {
            parts.Add($"{what} {used?.ToString() ?? "0"} of {total}");
        }
    }

}
