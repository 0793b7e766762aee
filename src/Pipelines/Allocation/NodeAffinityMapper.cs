using k8s.Models;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Required node affinity (the part a placement must honour) as the allocator's selector terms.</summary>
public static class NodeAffinityMapper
{
    /// <summary>The terms, or null and an error naming the expression when an operator is not one Kubernetes defines.</summary>
    public static IReadOnlyList<NodeSelectorTerm>? ToTerms(V1NodeAffinity? affinity, out string? error)
    {
        error = null;
        var terms = new List<NodeSelectorTerm>();
        var source = affinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        for (var t = 0; t < source.Count; t++)
        {
            var requirements = new List<NodeSelectorRequirement>();
            var expressions = source[t].MatchExpressions ?? [];
            for (var e = 0; e < expressions.Count; e++)
            {
                var expression = expressions[e];
                if (!Enum.TryParse<NodeSelectorOperator>(expression.OperatorProperty, ignoreCase: false, out var op) || !Enum.IsDefined(op))
                {
                    error = $"nodeAffinity...nodeSelectorTerms[{t}].matchExpressions[{e}].operator '{expression.OperatorProperty}' " +
                            "must be In, NotIn, Exists, DoesNotExist, Gt or Lt";
                    return null;
                }

                requirements.Add(new NodeSelectorRequirement(expression.Key, op, [.. expression.Values ?? []]));
            }

            terms.Add(new NodeSelectorTerm(requirements));
        }

        return terms;
    }
}
