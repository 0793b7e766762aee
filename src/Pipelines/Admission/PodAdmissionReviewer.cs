using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Answers AdmissionReview v1 requests for pods. Mutating (<see cref="MutateAsync"/>): on CREATE of a pod that opts in
/// (label <c>tensor-fusion.ai/enabled: "true"</c>, or native <c>nvidia.com/gpu</c> limits when auto-migration is on) it
/// creates or patches the workload and answers a JSON patch; a pod with bad annotations is denied with every problem
/// named. Validating (<see cref="ValidateAsync"/>): the same parse, no writes. Anything else is allowed untouched.
/// </summary>
public sealed partial class PodAdmissionReviewer(IAdmissionCluster cluster, PodAdmissionOptions options, ILogger logger)
{
    /// <summary>The annotations by which a pod asks for GPU resources itself.</summary>
    private static readonly string[] RequestAnnotations =
    [
        Annotations.TflopsRequest, Annotations.TflopsLimit, Annotations.VramRequest, Annotations.VramLimit,
        Annotations.ComputePercentRequest, Annotations.ComputePercentLimit, Annotations.GpuCount, Annotations.GpuIndices,
        Annotations.WorkloadProfile, Annotations.DedicatedGpu,
    ];

    public Task<JsonObject> MutateAsync(JsonObject review, CancellationToken cancellationToken) => ReviewAsync(review, mutate: true, cancellationToken);

    public Task<JsonObject> ValidateAsync(JsonObject review, CancellationToken cancellationToken) => ReviewAsync(review, mutate: false, cancellationToken);

    /// <summary>True when admission acts on the pod: opted in by label, or asking for native GPUs with auto-migration on.</summary>
    public static bool OptsIn(V1Pod pod, PodAdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        if (pod.Metadata?.Labels?.TryGetValue(Labels.Enabled, out var enabled) == true)
        {
            // An explicit "false" opts out even of auto-migration.
            return enabled == "true";
        }

        return options.AutoMigrateNativeGpu
            && (pod.Spec?.Containers ?? []).Any(container => container.Resources?.Limits?.ContainsKey(PodAnnotationParser.NativeGpuResource) == true);
    }

    /// <summary>
    /// A client pod wired to a workload by hand, as before there was a webhook: it carries the
    /// <c>tensor-fusion.ai/workload</c> label and asks for nothing itself (no resource, count, profile or dedicated-GPU
    /// annotation, no native GPU limit). The workload the user wrote is the source of truth, so such a pod is admitted
    /// untouched rather than refused for asking for nothing or used to rewrite that workload's spec.
    /// </summary>
    public static bool IsHandWired(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata?.Labels?.TryGetValue(Labels.Workload, out var workload) != true || string.IsNullOrEmpty(workload))
        {
            return false;
        }

        var annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
        return !RequestAnnotations.Any(annotations.ContainsKey)
            && !(pod.Spec?.Containers ?? []).Any(container => container.Resources?.Limits?.ContainsKey(PodAnnotationParser.NativeGpuResource) == true);
    }

    private async Task<JsonObject> ReviewAsync(JsonObject review, bool mutate, CancellationToken cancellationToken)
    {
        var request = review["request"] as JsonObject ?? throw new JsonException("AdmissionReview has no request");
        var uid = request["uid"]?.GetValue<string>() ?? throw new JsonException("AdmissionReview request has no uid");
        var operation = request["operation"]?.GetValue<string>();
        var kind = request["kind"]?["kind"]?.GetValue<string>();
        if (kind != "Pod" || operation != "CREATE" || request["object"] is not JsonObject podJson)
        {
            return Answer(uid, allowed: true);
        }

        var pod = podJson.Deserialize<V1Pod>(TensorFusionJson.Options) ?? throw new JsonException("AdmissionReview object is not a Pod");
        if (!OptsIn(pod, options) || IsHandWired(pod))
        {
            return Answer(uid, allowed: true);
        }

        var ns = request["namespace"]?.GetValue<string>() ?? pod.Metadata?.NamespaceProperty ?? "default";
        pod.Metadata ??= new V1ObjectMeta();
        pod.Metadata.NamespaceProperty = ns;
        var lookups = await cluster.LoadLookupsAsync(ns, cancellationToken);
        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true);
        var root = await cluster.RootControllerAsync(ns, controller, cancellationToken);
        var parse = PodAnnotationParser.Parse(pod, root, lookups);
        var podName = pod.Metadata.Name ?? pod.Metadata.GenerateName + "*";
        if (!parse.IsValid)
        {
            var problems = parse.Describe();
            LogDenied(logger, ns, podName, problems);
            return Answer(uid, allowed: false, message: $"TensorFusion: pod {ns}/{podName}: {problems}");
        }

        var parsed = parse.Parsed!;
        if (!mutate)
        {
            return Answer(uid, allowed: true);
        }

        // sideEffects NoneOnDryRun: a dry run answers the same patch without writing the workload.
        var workload = PodMutation.Workload(parsed, ns);
        var stored = request["dryRun"]?.GetValue<bool>() == true ? workload : await cluster.UpsertWorkloadAsync(workload, cancellationToken);
        var patch = PodMutation.PodPatch(pod, parsed, stored);
        LogAdmitted(logger, ns, podName, parsed.WorkloadName, parsed.Pool.Metadata.Name, parsed.Spec.IsLocalGpu == true);
        var answer = Answer(uid, allowed: true);
        var response = (JsonObject)answer["response"]!;
        response["patchType"] = "JSONPatch";
        response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString()));
        return answer;
    }

    /// <summary>An AdmissionReview v1 response; a denial carries a 400 Invalid status whose message kubectl prints.</summary>
    public static JsonObject Answer(string uid, bool allowed, string? message = null)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = allowed };
        if (!allowed)
        {
            response["status"] = new JsonObject { ["code"] = 400, ["reason"] = "Invalid", ["message"] = message };
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Denied pod {Namespace}/{Pod}: {Problems}")]
    private static partial void LogDenied(ILogger logger, string @namespace, string pod, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted pod {Namespace}/{Pod} into workload {Workload} (pool {Pool}, local GPU {Local})")]
    private static partial void LogAdmitted(ILogger logger, string @namespace, string pod, string workload, string pool, bool local);
}
