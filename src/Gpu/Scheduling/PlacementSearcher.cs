using System.Text;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// Finds the best node for a request. Both searches rank nodes identically (strategy's node score, then inventory order);
/// the indexed one stops at the first fitting node in rank order, the full scan checks every node and can explain a miss.
/// </summary>
internal static class PlacementSearcher
{
    public static NodeChoice? FindIndexed(ClusterState state, RequestContext context, List<GpuCandidate> buffer)
    {
        var pool = context.Pool.Name;
        IReadOnlyList<string> models = context.Model is { } model ? [model.Name] : state.ModelsIn(pool);
        var request = context.Request;
        var neededVram = request.Isolation == IsolationMode.Shared ? 0 : request.Request.VramBytes;
        NodeChoice? best = null;
        foreach (var modelName in models)
        {
            if (state.IndexOf(pool, modelName) is not { } index)
            {
                continue;
            }

            var top = index.TopScore;
            var stop = false;
            for (var step = 0; step <= top && !stop; step++)
            {
                var score = context.NodesDescending ? top - step : step;
                if (index.Bucket(score) is not { Count: > 0 } bucket || index.MaxFreeVramBound(score) < neededVram)
                {
                    continue;
                }

                long largestFree = 0;
                var walkedAll = true;
                for (var i = 0; i < bucket.Count; i++)
                {
                    var node = state.NodeAt(bucket[i]);
                    if (best is not null && !RanksBefore(node, best.Node, context))
                    {
                        stop = true;
                        walkedAll = false;
                        break;
                    }

                    largestFree = Math.Max(largestFree, node.MaxFreeVramBytes);
                    if (!CannotHold(node, request) && NodeFitter.Fit(node, context, buffer) == FilterStage.Passed)
                    {
                        best = new NodeChoice(node, [.. buffer]);
                        stop = true;
                        walkedAll = false;
                        break;
                    }
                }

                if (walkedAll)
                {
                    index.Tighten(score, largestFree);
                }
            }
        }

        return best;
    }

    public static NodeChoice? FindByScan(ClusterState state, RequestContext context, List<GpuCandidate> buffer, out string explanation)
    {
        var nodes = state.NodesIn(context.Pool.Name);
        var rejections = new int[(int)FilterStage.Passed + 1];
        NodeChoice? best = null;
        foreach (var node in nodes)
        {
            var stage = NodeFitter.Fit(node, context, buffer);
            if (stage != FilterStage.Passed)
            {
                rejections[(int)stage]++;
            }
            else if (best is null || RanksBefore(node, best.Node, context))
            {
                best = new NodeChoice(node, [.. buffer]);
            }
        }

        explanation = best is null ? Explain(nodes.Count, rejections, context.GpuCount) : string.Empty;
        return best;
    }

    /// <summary>Whether <paramref name="node"/> ranks before <paramref name="other"/>: better node score, then lower ordinal.</summary>
    public static bool RanksBefore(NodeState node, NodeState other, RequestContext context)
    {
        if (node.UsedScoreSum != other.UsedScoreSum)
        {
            return context.NodesDescending ? node.UsedScoreSum > other.UsedScoreSum : node.UsedScoreSum < other.UsedScoreSum;
        }

        return node.Ordinal < other.Ordinal;
    }

    /// <summary>"0/1000 nodes fit: 640 insufficient VRAM, 352 model mismatch, 8 node affinity" (largest count first).</summary>
    public static string Explain(int nodeCount, int[] rejections, int gpuCount)
    {
        if (nodeCount == 0)
        {
            return "0/0 nodes fit: the pool has no GPU nodes";
        }

        var builder = new StringBuilder().Append("0/").Append(nodeCount).Append(" nodes fit: ");
        var reasons = Enumerable.Range(0, rejections.Length)
            .Where(stage => rejections[stage] > 0)
            .OrderByDescending(stage => rejections[stage])
            .ThenBy(stage => stage)
            .Select(stage => $"{rejections[stage]} {FilterStageText.Describe((FilterStage)stage, gpuCount)}");
        return builder.AppendJoin(", ", reasons).ToString();
    }

    /// <summary>A cheap bound before filtering GPUs: no schedulable GPU on the node has enough VRAM (or TFLOPs) left.</summary>
    private static bool CannotHold(NodeState node, AllocationRequest request)
    {
        if (request.Isolation == IsolationMode.Shared)
        {
            return false;
        }

        return node.MaxFreeVramBytes < request.Request.VramBytes
               || (request.ComputePercentRequest is null && node.MaxFreeMilliTflops < request.Request.MilliTflops);
    }
}
