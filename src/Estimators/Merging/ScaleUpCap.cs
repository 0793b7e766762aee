using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Merging;

/// <summary>
/// Keeps a recommended request within what the workload's GPUs can actually give.
/// </summary>
/// <remarks>
/// Per GPU the most one worker could hold is <c>(available + this workload's requests on it) / its workers there</c>; the cap
/// is the minimum over all the workload's GPUs. A request above the cap is lowered to it (limits are not capped, as
/// upstream). Example: a GPU with 20 TFLOPs free where two of the workload's workers request 10 each caps each worker
/// at (20 + 20) / 2 = 20 TFLOPs.
/// </remarks>
public static class ScaleUpCap
{
    /// <summary>The largest request per worker; +∞ for a resource when <paramref name="gpus"/> is empty.</summary>
    public static ResourceAmount MaxRequestPerWorker(IEnumerable<GpuHeadroom> gpus)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        var tflops = double.PositiveInfinity;
        var vram = double.PositiveInfinity;
        foreach (var gpu in gpus)
        {
            var workers = Math.Max(1, gpu.WorkloadWorkers);
            tflops = Math.Min(tflops, (gpu.AvailableTflops + gpu.WorkloadRequestedTflops) / workers);
            vram = Math.Min(vram, (gpu.AvailableVramBytes + gpu.WorkloadRequestedVramBytes) / workers);
        }

        return new ResourceAmount(tflops, vram);
    }

    /// <summary>Lowers requests above <paramref name="cap"/>; <paramref name="note"/> explains what was capped, or is null.</summary>
    public static WorkloadResources Apply(WorkloadResources recommended, ResourceAmount cap, out string? note)
    {
        var notes = new List<string>();
        var tflops = recommended.Requests.Tflops;
        var vram = recommended.Requests.VramBytes;
        if (tflops > cap.Tflops)
        {
            notes.Add($"TFLOPs request {ResourceText.Tflops(tflops)} capped at the GPUs' headroom {ResourceText.Tflops(cap.Tflops)}");
            tflops = cap.Tflops;
        }

        if (vram > cap.VramBytes)
        {
            notes.Add($"VRAM request {ResourceText.Vram(vram)} capped at the GPUs' headroom {ResourceText.Vram(cap.VramBytes)}");
            vram = cap.VramBytes;
        }

        note = notes.Count > 0 ? string.Join("; ", notes) : null;
        return recommended with { Requests = new ResourceAmount(tflops, vram) };
    }
}
