using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Keeps a gang's members together across batches: when any member reaches a batch, every parked member of the same
/// gang joins it, so the allocator always decides the whole gang at once (members that arrive over several seconds wait
/// parked, holding nothing, until the quorum is pending). Also words the decisions of gangs past their timeout.
/// </summary>
public static class GangBatching
{
    /// <summary>Parked workers whose workload is a gang with a member in <paramref name="requests"/>.</summary>
    public static IReadOnlyList<PendingWorker> ParkedPeers(IEnumerable<AllocationRequest> requests, IEnumerable<PendingWorker> parked)
    {
        var gangs = requests.Where(request => request.Gang is not null).Select(request => request.Gang!.GroupKey).ToHashSet(StringComparer.Ordinal);
        if (gangs.Count == 0)
        {
            return [];
        }

        return [.. parked.Where(worker => GroupKeyOf(worker) is { } key && gangs.Contains(key))];
    }

    /// <summary>
    /// An unschedulable member of a gang that has waited longer than its timeout (counted from its earliest member) says
    /// so first; the gang is still retried when capacity changes, as upstream's rejected members re-enter the queue.
    /// </summary>
    public static AllocationDecision MarkTimedOut(AllocationDecision decision, DateTimeOffset waitingSince, DateTimeOffset now)
    {
        if (decision.Kind != DecisionKind.Unschedulable || decision.Request.Gang is not { Timeout: { } timeout } gang || now - waitingSince < timeout)
        {
            return decision;
        }

        return decision with { Reason = $"{TimedOutPrefix} gang {gang.GroupKey} waited longer than its timeout {timeout}: {decision.Reason}" };
    }

    /// <summary>Start of the reason of a member whose gang timed out (read back by the workload's gang status).</summary>
    public const string TimedOutPrefix = "TimedOut:";

    /// <summary>Start of the reason of a member whose gang is still gathering members.</summary>
    public const string WaitingMarker = "waits for members";

    /// <summary>True when the worker's workload is the gang <paramref name="groupKey"/>.</summary>
    public static bool BelongsTo(PendingWorker worker, string groupKey) => GroupKeyOf(worker) == groupKey;

    private static string? GroupKeyOf(PendingWorker worker) =>
        MetadataValues.Get(worker.Pod.Metadata?.Labels, Labels.Workload) is { Length: > 0 } workload
            ? $"{worker.Pod.Metadata!.NamespaceProperty ?? "default"}/{workload}"
            : null;
}
