using k8s.Models;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Kubernetes label-selector semantics (matchLabels and matchExpressions In/NotIn/Exists/DoesNotExist) over a pod's
/// labels, for vertical scaling rules and webhook object selectors. An unknown operator never matches.
/// </summary>
public static class PodLabelSelector
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return true;
        }

        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var values = requirement.Values ?? [];
            var ok = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
