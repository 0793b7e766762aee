using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// The API server's defaulting and validation for Deployments, ReplicaSets and Jobs on create: replicas default to 1;
/// a selector is required and must match the template's labels; a Job gets the generated selector on its own uid (and
/// those labels on its template), parallelism and completions 1 when neither is set, backoffLimit 6, and a template
/// restartPolicy of Never or OnFailure.
/// </summary>
public static class ReplicatedDefaults
{
    public const string JobUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    public static void Apply(string kind, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var spec = Spec(value);
        spec["replicas"] ??= 1;
        var selector = Meta.StringMap(spec["selector"]?["matchLabels"]);
        var labels = Meta.StringMap(spec["template"]?["metadata"]?["labels"]);
        if (spec["selector"] is null)
        {
            throw ApiException.Invalid(kind, Meta.Name(value) ?? string.Empty, [("spec.selector", "Required value")]);
        }

        if (selector.Count == 0 || selector.Any(pair => labels.GetValueOrDefault(pair.Key) != pair.Value))
        {
            throw ApiException.Invalid(kind, Meta.Name(value) ?? string.Empty,
                [("spec.template.metadata.labels", "Invalid value: `selector` does not match template `labels` (only spec.selector.matchLabels is supported here)")]);
        }
    }

    public static void ApplyJob(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var spec = Spec(value);
        var name = Meta.Name(value) ?? string.Empty;
        var restartPolicy = Meta.Text(spec["template"]?["spec"], "restartPolicy");
        if (restartPolicy is not ("Never" or "OnFailure"))
        {
            throw ApiException.Invalid("Job", name, [("spec.template.spec.restartPolicy", restartPolicy is null ? "Required value: valid values: \"OnFailure\", \"Never\"" : $"Unsupported value: \"{restartPolicy}\": supported values: \"OnFailure\", \"Never\"")]);
        }

        if (spec["parallelism"] is null && spec["completions"] is null)
        {
            spec["completions"] = 1;
        }

        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= 6;
        var uid = Meta.Uid(value) ?? string.Empty;
        spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { [JobUidLabel] = uid } };
        var template = spec["template"] as JsonObject ?? [];
        spec["template"] = template;
        if (template["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            template["metadata"] = metadata;
        }

        if (metadata["labels"] is not JsonObject labels)
        {
            labels = [];
            metadata["labels"] = labels;
        }

        labels[JobUidLabel] = uid;
        labels["controller-uid"] = uid;
        labels[JobNameLabel] = name;
        labels["job-name"] = name;
    }

    private static JsonObject Spec(JsonObject value)
    {
        if (value["spec"] is not JsonObject spec)
        {
            spec = [];
            value["spec"] = spec;
        }

        return spec;
    }
}
