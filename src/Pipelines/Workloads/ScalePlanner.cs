namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// Plans fixed-replica scaling and rolling updates (pure). Workers of the current hash are topped up to
/// <c>desired</c> at the lowest free indices; extra current workers go unready-first, then newest-first. Outdated
/// workers are replaced by surge: unready ones go at once, ready ones only while the ready total stays at or above
/// <c>min(desired, ready before)</c> — upstream deletes them all at once and drops to zero ready.
/// </summary>
public static class ScalePlanner
{
    public static ScalePlan Plan(int desired, string hash, IReadOnlyList<WorkerPodState> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var current = active.Where(pod => pod.Hash == hash).ToList();
        var outdated = active.Where(pod => pod.Hash != hash).ToList();
        var create = new List<int>();
        var delete = new List<WorkerPodState>();

        if (current.Count < desired)
        {
            var used = current.Where(pod => pod.Index is not null).Select(pod => pod.Index!.Value).ToHashSet();
            for (var index = 0; create.Count < desired - current.Count; index++)
            {
                if (!used.Contains(index))
                {
                    create.Add(index);
                }
            }
        }
        else if (current.Count > desired)
        {
            delete.AddRange(current
                .OrderBy(pod => pod.Ready)
                .ThenByDescending(pod => pod.Created)
                .ThenByDescending(pod => pod.Index ?? int.MaxValue)
                .Take(current.Count - desired));
        }

        delete.AddRange(outdated.Where(pod => !pod.Ready));
        var readyCurrent = current.Count(pod => pod.Ready);
        var readyOutdated = outdated.Where(pod => pod.Ready).OrderBy(pod => pod.Created).ToList();

        // Keep as many ready outdated workers as the new ones cannot cover yet: with desired 3, 1 new ready and
        // 3 old ready, the floor is min(3, 4) = 3, the new cover 1, so 2 old stay and 1 goes.
        var floor = Math.Min(desired, readyCurrent + readyOutdated.Count);
        var keepOutdated = Math.Max(0, floor - Math.Min(readyCurrent, desired));
        delete.AddRange(readyOutdated.Take(readyOutdated.Count - keepOutdated));
        return new ScalePlan(create, delete);
    }
}
