using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Serialization;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Status;

namespace TensorFusion.Pipelines.Quarantine;

/// <summary>
/// Tells the user about a quarantined object, whatever its kind: a Warning event and <c>Ready=False</c> with reason
/// <see cref="QuarantineReasons.InvalidSpec"/> and a message naming the field and value (kinds without a status
/// subresource get the event only). The object itself is left as stored; the controllers act on nothing under its key
/// until a valid version arrives, which their own reconcile then states.
/// </summary>
public sealed partial class QuarantineReconciler(IReadOnlyDictionary<string, IInformer> informers, KubeRestClient client, StatusPatcher patcher, EventRecorder events, TimeProvider time, ILogger logger)
    : IReconciler<string>
{
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (kind, ns, name) = QuarantineKeys.Split(key);
        if (!informers.TryGetValue(kind, out var informer) || informer.GetInvalid(ns, name) is not { } invalid)
        {
            // Fixed or deleted since: its own controller states the rest.
            return ReconcileResult.Done;
        }

        var subject = new V1ObjectMeta { Name = invalid.Name, NamespaceProperty = invalid.Namespace, Uid = invalid.Uid, ResourceVersion = invalid.ResourceVersion };
        await events.RecordAsync(informer.Resource.ApiVersion, kind, subject, EventRecorder.Warning, QuarantineReasons.InvalidSpec, Message(invalid), cancellationToken);
        var path = informer.Resource.ObjectPath(invalid.Namespace, invalid.Name);
        try
        {
            var current = await client.TryGetAsync<JsonObject>(path, cancellationToken);
            if (current is not null)
            {
                await patcher.PatchAsync(path, current, stored => BuildStatus(stored, invalid), ResourceVersionOf, cancellationToken);
            }
        }
        catch (ApiStatusException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity or HttpStatusCode.MethodNotAllowed)
        {
            // No status subresource, or the server will not store any version of this object: the event and the log say it.
            LogConditionNotWritten(logger, kind, invalid.Key, e.Message);
        }

        return ReconcileResult.Done;
    }

    private static string Message(InvalidObject invalid) => $"quarantined, the operator ignores this object until it is fixed: {invalid.Problem}";

    private static string? ResourceVersionOf(JsonObject stored) => stored["metadata"]?["resourceVersion"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private JsonObject? BuildStatus(JsonObject stored, InvalidObject invalid)
    {
        var existing = ReadConditions(stored);
        var conditions = ConditionList.With(existing, ConditionTypes.Ready, false, QuarantineReasons.InvalidSpec, Message(invalid), invalid.Generation, time.GetUtcNow());
        return existing is not null && ConditionList.SameMeaning(existing, conditions)
            ? null
            : new JsonObject { ["conditions"] = JsonSerializer.SerializeToNode(conditions, TensorFusionJson.Options) };
    }

    /// <summary>The stored conditions; null when there are none or they are themselves unreadable (then they are replaced).</summary>
    private static List<V1Condition>? ReadConditions(JsonObject stored)
    {
        try
        {
            return stored["status"]?["conditions"] is JsonArray array ? array.Deserialize<List<V1Condition>>(TensorFusionJson.Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Key}: quarantine condition not written ({Reason}); the Warning event and this log say it")]
    private static partial void LogConditionNotWritten(ILogger logger, string kind, string key, string reason);
}
