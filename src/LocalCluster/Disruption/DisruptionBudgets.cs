using System.Globalization;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Admission;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Disruption;

/// <summary>
/// policy/v1 PodDisruptionBudget arithmetic, as the disruption controller does it: which pods a budget covers, how many
/// are healthy, how many must stay healthy (<c>minAvailable</c> or <c>maxUnavailable</c>, an integer or a percentage
/// rounded up), and how many may be disrupted now. The expected count is the number of covered pods that are not
/// finished (the embedded server has no workload controllers' scale to read, which the real controller uses for
/// percentages and maxUnavailable).
/// </summary>
public static class DisruptionBudgets
{
    public const string StorageId = "poddisruptionbudgets.policy";

    /// <summary>How long an evicted pod counts as disrupted before its deletion is observed (the real controller's 2 minutes).</summary>
    public static readonly TimeSpan DisruptedPodTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The budgets in the pod's namespace whose selector matches it (a null selector matches nothing).</summary>
    public static List<StoredObject> Covering(ObjectStore store, JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pod);
        var labels = Meta.Labels(pod);
        var @namespace = Meta.Text(pod["metadata"], "namespace") ?? string.Empty;
        return store.List(StorageId, @namespace, budget => Covers(budget.Value, labels)).Items;
    }

    public static bool Covers(JsonObject budget, IReadOnlyDictionary<string, string> podLabels) =>
        budget["spec"]?["selector"] is JsonObject selector && WebhookSelector.Matches(selector, podLabels);

    /// <summary>Ready and not being deleted: what a budget counts as healthy.</summary>
    public static bool IsHealthy(JsonObject pod) =>
        !Meta.IsDeleting(pod)
        && (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(condition => Meta.Text(condition, "type") == "Ready" && Meta.Text(condition, "status") == "True");

    public static bool IsFinished(JsonObject pod) => Meta.Text(pod["status"], "phase") is "Succeeded" or "Failed";

    /// <summary>
    /// The budget's status over <paramref name="pods"/> (every pod of its namespace): observedGeneration, expectedPods,
    /// currentHealthy, desiredHealthy, disruptionsAllowed, disruptedPods (pruned of pods gone, deleting or timed out)
    /// and the DisruptionAllowed condition (its lastTransitionTime kept while its status does not change).
    /// </summary>
    public static JsonObject ComputeStatus(JsonObject budget, IEnumerable<JsonObject> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(pods);
        var covered = pods.Where(pod => Covers(budget, Meta.Labels(pod)) && !IsFinished(pod)).ToList();
        var disrupted = StillDisrupted(budget, covered, now);
        var expected = covered.Count;
        var healthy = covered.Count(pod => IsHealthy(pod) && !disrupted.ContainsKey(Meta.Name(pod)!));
        var desired = DesiredHealthy(budget["spec"] as JsonObject, expected);
        var allowed = Math.Max(0, healthy - desired);
        var previous = (budget["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(condition => Meta.Text(condition, "type") == "DisruptionAllowed");
        var conditionStatus = allowed > 0 ? "True" : "False";
        var generation = JsonText.WholeNumber(budget["metadata"]?["generation"]) ?? 1;
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = healthy,
            ["desiredHealthy"] = desired,
            ["expectedPods"] = expected,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "DisruptionAllowed",
                ["status"] = conditionStatus,
                ["reason"] = allowed > 0 ? "SufficientPods" : "InsufficientPods",
                ["message"] = string.Empty,
                ["observedGeneration"] = generation,
                ["lastTransitionTime"] = previous is not null && Meta.Text(previous, "status") == conditionStatus
                    ? Meta.Text(previous, "lastTransitionTime")
                    : Meta.Timestamp(now),
            }),
        };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = new JsonObject(disrupted.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        }

        return status;
    }

    /// <summary>
    /// How many covered pods must stay healthy: <c>minAvailable</c> as given (a percentage of expected, rounded up), or
    /// expected minus <c>maxUnavailable</c> (a percentage of expected, rounded up); neither means every pod (as
    /// maxUnavailable 0). Both set, or a malformed value, is refused at admission (<see cref="Validate"/>).
    /// </summary>
    public static int DesiredHealthy(JsonObject? spec, int expected)
    {
        if (spec?["minAvailable"] is { } minAvailable)
        {
            return Math.Min(expected, Scaled(minAvailable, expected) ?? 0);
        }

        if (spec?["maxUnavailable"] is { } maxUnavailable)
        {
            return Math.Max(0, expected - (Scaled(maxUnavailable, expected) ?? 0));
        }

        return expected;
    }

    /// <summary>The API server's validation of a budget's spec: field-named problems, empty when valid.</summary>
    public static List<(string Field, string Message)> Validate(JsonObject budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var spec = budget["spec"] as JsonObject;
        var problems = new List<(string, string)>();
        if (spec?["minAvailable"] is not null && spec["maxUnavailable"] is not null)
        {
            problems.Add(("spec", "Invalid value: minAvailable and maxUnavailable cannot be both set"));
        }

        foreach (var field in (string[])["minAvailable", "maxUnavailable"])
        {
            if (spec?[field] is { } value && Scaled(value, 100) is null)
            {
                problems.Add(($"spec.{field}", $"Invalid value: {JsonText.Text(value)}: must be a non-negative integer or a percentage between 0% and 100%"));
            }
        }

        var policy = Meta.Text(spec, "unhealthyPodEvictionPolicy");
        if (policy is not (null or "IfHealthyBudget" or "AlwaysAllow"))
        {
            problems.Add(("spec.unhealthyPodEvictionPolicy", $"Unsupported value: \"{policy}\": supported values: \"IfHealthyBudget\", \"AlwaysAllow\""));
        }

        return problems;
    }

    /// <summary>Throws the 422 a real server answers for an invalid budget.</summary>
    public static void ThrowIfInvalid(JsonObject budget)
    {
        var problems = Validate(budget);
        if (problems.Count > 0)
        {
            throw ApiException.Invalid("PodDisruptionBudget", Meta.Name(budget) ?? string.Empty, problems);
        }
    }

    /// <summary>An int-or-string: a non-negative integer, or "N%" of <paramref name="total"/> rounded up (50% of 3 is 2); null when malformed.</summary>
    private static int? Scaled(JsonNode value, int total)
    {
        if (JsonText.Number(value) is { } whole)
        {
            return whole >= 0 && whole <= int.MaxValue && whole == Math.Floor(whole) ? (int)whole : null;
        }

        if (value is JsonValue text && text.TryGetValue<string>(out var percent) && percent.EndsWith('%')
            && int.TryParse(percent[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var share) && share <= 100)
        {
            return (int)Math.Ceiling(share * total / 100.0);
        }

        return null;
    }

    private static Dictionary<string, string> StillDisrupted(JsonObject budget, List<JsonObject> covered, DateTimeOffset now)
    {
        var live = covered.Where(pod => !Meta.IsDeleting(pod)).Select(pod => Meta.Name(pod)!).ToHashSet(StringComparer.Ordinal);
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pod, stamp) in budget["status"]?["disruptedPods"] as JsonObject ?? [])
        {
            if (live.Contains(pod) && stamp?.ToString() is { } text && Meta.ParseTimestamp(text) is { } at && now - at < DisruptedPodTimeout)
            {
                kept[pod] = text;
            }
        }

        return kept;
    }
}
