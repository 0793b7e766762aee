using System.Globalization;

namespace TensorFusion.Gpu.Requests;

/// <summary>One requirement of a node selector term, evaluated against node labels as Kubernetes does.</summary>
public sealed record NodeSelectorRequirement(string Key, NodeSelectorOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>
    /// In / NotIn test membership (NotIn also matches a missing label); Exists / DoesNotExist test presence;
    /// Gt / Lt compare the label and the single value as integers and fail when either is not an integer.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            NodeSelectorOperator.In => present && Values.Contains(value!, StringComparer.Ordinal),
            NodeSelectorOperator.NotIn => !present || !Values.Contains(value!, StringComparer.Ordinal),
            NodeSelectorOperator.Exists => present,
            NodeSelectorOperator.DoesNotExist => !present,
            NodeSelectorOperator.Gt => present && CompareAsIntegers(value!) is > 0,
            NodeSelectorOperator.Lt => present && CompareAsIntegers(value!) is < 0,
            _ => false,
        };
    }

    private int? CompareAsIntegers(string labelValue) =>
        Values.Count == 1
        && long.TryParse(labelValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left)
        && long.TryParse(Values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var right)
            ? left.CompareTo(right)
            : null;
}
