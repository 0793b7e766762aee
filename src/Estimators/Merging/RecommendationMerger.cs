using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Merging;

/// <summary>
/// Combines the results of several recommenders into one set of resources.
/// </summary>
/// <remarks>
/// Among results still to be applied, the larger REQUEST wins per resource, and the winner's limit goes along with it.
/// Results with <see cref="RecommendationResult.ScaleDownLocking"/> (an active cron rule) form a floor built the same way;
/// a merged request below the floor is raised to it (upstream instead skips the round, which leaves the floor's values in
/// place; raising gives the same resources without a lost round). A resource that no result touches (0) is filled from
/// the current resources. No pending result means nothing to merge (null).
/// </remarks>
public static class RecommendationMerger
{
    public static WorkloadResources? Merge(IEnumerable<RecommendationResult> results, WorkloadResources current)
    {
        ArgumentNullException.ThrowIfNull(results);
        var merged = default(WorkloadResources);
        var floor = default(WorkloadResources);
        var anyPending = false;
        foreach (var result in results)
        {
            if (result.Resources is not { } resources)
            {
                continue;
            }

            if (!result.HasApplied)
            {
                merged = LargerRequests(merged, resources);
                anyPending = true;
            }

            if (result.ScaleDownLocking)
            {
                floor = LargerRequests(floor, resources);
            }
        }

        if (!anyPending || merged.IsZero)
        {
            return null;
        }

        merged = LargerRequests(merged, floor);
        return new WorkloadResources(
            new ResourceAmount(
                merged.Requests.Tflops == 0 ? current.Requests.Tflops : merged.Requests.Tflops,
                merged.Requests.VramBytes == 0 ? current.Requests.VramBytes : merged.Requests.VramBytes),
            new ResourceAmount(
                merged.Limits.Tflops == 0 ? current.Limits.Tflops : merged.Limits.Tflops,
                merged.Limits.VramBytes == 0 ? current.Limits.VramBytes : merged.Limits.VramBytes));
    }

    /// <summary>Per resource, the side with the larger request, its limit included (ties keep <paramref name="a"/>).</summary>
    public static WorkloadResources LargerRequests(WorkloadResources a, WorkloadResources b)
    {
        var (tflopsRequest, tflopsLimit) = b.Requests.Tflops > a.Requests.Tflops
            ? (b.Requests.Tflops, b.Limits.Tflops)
            : (a.Requests.Tflops, a.Limits.Tflops);
        var (vramRequest, vramLimit) = b.Requests.VramBytes > a.Requests.VramBytes
            ? (b.Requests.VramBytes, b.Limits.VramBytes)
            : (a.Requests.VramBytes, a.Limits.VramBytes);
        return new WorkloadResources(new ResourceAmount(tflopsRequest, vramRequest), new ResourceAmount(tflopsLimit, vramLimit));
    }
}
