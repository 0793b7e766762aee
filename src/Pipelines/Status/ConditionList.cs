using k8s.Models;

namespace TensorFusion.Pipelines.Status;

/// <summary>Sets one condition in a list, keeping lastTransitionTime when the status did not change.</summary>
public static class ConditionList
{
    public static List<V1Condition> With(IReadOnlyList<V1Condition>? existing, string type, bool status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var result = existing?.Where(c => c.Type != type).ToList() ?? [];
        var previous = existing?.FirstOrDefault(c => c.Type == type);
        var statusText = status ? "True" : "False";
        result.Add(new V1Condition
        {
            Type = type,
            Status = statusText,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = previous is not null && previous.Status == statusText ? previous.LastTransitionTime : now.UtcDateTime,
        });
        return result;
    }

    /// <summary>True when the two lists say the same (ignoring order and transition times).</summary>
    public static bool SameMeaning(IReadOnlyList<V1Condition>? left, IReadOnlyList<V1Condition>? right)
    {
        static string Text(IReadOnlyList<V1Condition>? list) =>
            string.Join('|', (list ?? []).OrderBy(c => c.Type, StringComparer.Ordinal).Select(c => $"{c.Type}={c.Status}/{c.Reason}/{c.Message}/{c.ObservedGeneration}"));
        return Text(left) == Text(right);
    }
}
