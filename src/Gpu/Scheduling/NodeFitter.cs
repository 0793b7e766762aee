using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>Decides whether one node can hold a request and, if so, which of its GPUs the strategy picks.</summary>
internal static class NodeFitter
{
    private const int StageCount = (int)FilterStage.Passed;
    private static readonly Comparison<GpuCandidate> FullestFirst = CompareFullestFirst;
    private static readonly Comparison<GpuCandidate> EmptiestFirst = CompareEmptiestFirst;

    /// <summary>
    /// Filters every GPU on the node. On success <paramref name="chosen"/> holds the request's GPU count, best first
    /// (strategy's GPU score, then device index). On failure returns the filter at which the surviving GPUs dropped below
    /// the count, like kube-scheduler's per-node reason.
    /// </summary>
    public static FilterStage Fit(NodeState node, RequestContext context, List<GpuCandidate> chosen)
    {
        chosen.Clear();
        var count = context.GpuCount;
        if (node.Gpus.Count < count)
        {
            return FilterStage.SameNode;
        }

        Span<int> failures = stackalloc int[StageCount];
        foreach (var gpu in node.Gpus)
        {
            var stage = GpuFilter.Check(gpu, context, out var candidate);
            if (stage == FilterStage.Passed)
            {
                chosen.Add(candidate);
            }
            else
            {
                failures[(int)stage]++;
            }
        }

        if (chosen.Count >= count)
        {
            if (node.Allocations.Count >= node.Pool.MaxWorkersPerNode)
            {
                return FilterStage.MaxWorkersPerNode;
            }

            if (chosen.Count > 1)
            {
                chosen.Sort(context.GpusDescending ? FullestFirst : EmptiestFirst);
            }

            if (chosen.Count > count)
            {
                chosen.RemoveRange(count, chosen.Count - count);
            }

            return FilterStage.Passed;
        }

        var surviving = node.Gpus.Count;
        for (var stage = 0; stage < StageCount; stage++)
        {
            surviving -= failures[stage];
            if (surviving < count)
            {
                return (FilterStage)stage;
            }
        }

        return FilterStage.SameNode;
    }

    private static int CompareFullestFirst(GpuCandidate left, GpuCandidate right)
    {
        var byScore = right.Gpu.UsedScore.CompareTo(left.Gpu.UsedScore);
        return byScore != 0 ? byScore : left.Gpu.Index.CompareTo(right.Gpu.Index);
    }

    private static int CompareEmptiestFirst(GpuCandidate left, GpuCandidate right)
    {
        var byScore = left.Gpu.UsedScore.CompareTo(right.Gpu.UsedScore);
        return byScore != 0 ? byScore : left.Gpu.Index.CompareTo(right.Gpu.Index);
    }
}
