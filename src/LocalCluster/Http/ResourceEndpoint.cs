using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Authorization;
using TensorFusion.LocalCluster.Certificates;
using TensorFusion.LocalCluster.Disruption;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Selectors;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Http;

/// <summary>The verbs on one resource URL: get, list, watch, create, update, patch, delete, deletecollection, pods/binding, pods/eviction.</summary>
public sealed class ResourceEndpoint(ResourceOperations operations, TableBuilder tables, WatchStreamer watches, AccessReviews reviews, TokenRequests tokenRequests, PodEvictions evictions,
    CertificateSubresources certificates)
{
    public async Task HandleAsync(HttpContext context, RequestTarget target, ResourceType type)
    {
        CheckScope(target, type);
        var request = context.Request;
        var @namespace = type.Namespaced ? target.Namespace : string.Empty;
        var asTable = request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);
        if (type.IsReview)
        {
            await ReviewAsync(context, type, target);
            return;
        }

        switch (request.Method, target.Name, target.Subresource)
        {
            case ("GET", null, null):
                var labels = LabelSelector.Parse(request.Query["labelSelector"]);
                var fields = FieldSelector.Parse(request.Query["fieldSelector"]);
                if (request.Query["watch"] is var watch && (watch == "true" || watch == "1"))
                {
                    await watches.StreamAsync(context, type, target.Namespace, labels, fields, asTable);
                    return;
                }

                await ListAsync(context, type, target.Namespace, labels, fields, asTable);
                return;
            case ("GET", { } name, null or "status"):
                var stored = operations.Store.Get(type.StorageId, @namespace!, name) ?? throw ApiException.NotFound(ResourceOperations.Describe(type), name);
                await WriteObjectAsync(context, 200, type, stored, asTable);
                return;
            case ("POST", null, null):
                var options = WriteOptionsOf(request);
                var body = await ObjectBodyAsync(context, type);
                if (type.StorageId == CertificateSigningRequests.StorageId)
                {
                    CertificateSigningRequests.OnCreate(body, Caller(context));
                }

                var created = await operations.CreateAsync(type, @namespace!, body, options);
                Responses.Warn(context, options.Warnings);
                await Responses.BytesAsync(context, 201, created.Json);
                return;
            case ("POST", { } accountName, "token") when type.StorageId == "serviceaccounts":
                var tokenRequest = tokenRequests.Answer(@namespace!, accountName, await ObjectBodyAsync(context, type));
                await Responses.JsonAsync(context, 201, tokenRequest);
                return;
            case ("POST", { } evicted, "eviction") when type.StorageId == "pods":
                var eviction = await ObjectBodyAsync(context, type);
                await Responses.JsonAsync(context, 201, await evictions.EvictAsync(type, @namespace!, evicted, eviction, request.Query["dryRun"] == "All"));
                return;
            case ("POST", { } podName, "binding"):
                await BindAsync(context, type, @namespace!, podName);
                return;
            case ("PUT" or "PATCH", { } name, "status" or "approval") when type.StorageId == CertificateSigningRequests.StorageId:
                var (decision, _) = await RequestBody.ReadAsync(request, context.RequestAborted);
                var decided = await certificates.WriteAsync(type, name, target.Subresource!, request.Method, request.ContentType ?? string.Empty, decision, Caller(context), WriteOptionsOf(request));
                await Responses.BytesAsync(context, 200, decided.Json);
                return;
            case ("PUT", { } name, null or "status"):
                var updateOptions = WriteOptionsOf(request);
                var updated = await operations.UpdateAsync(type, @namespace!, name, await ObjectBodyAsync(context, type), target.Subresource, updateOptions);
                Responses.Warn(context, updateOptions.Warnings);
                await Responses.BytesAsync(context, 200, updated.Json);
                return;
            case ("PATCH", { } name, null or "status"):
                var patchOptions = WriteOptionsOf(request);
                var (patch, _) = await RequestBody.ReadAsync(request, context.RequestAborted);
                var patched = await operations.PatchAsync(type, @namespace!, name, request.ContentType ?? string.Empty, patch, target.Subresource, patchOptions);
                Responses.Warn(context, patchOptions.Warnings);
                await Responses.BytesAsync(context, 200, patched.Json);
                return;
            case ("GET", { } name, "scale"):
                var scaled = operations.Store.Get(type.StorageId, @namespace!, name) ?? throw ApiException.NotFound(ResourceOperations.Describe(type), name);
                await Responses.JsonAsync(context, 200, ScaleSubresource.Of(scaled.Value));
                return;
            case ("PUT" or "PATCH", { } name, "scale"):
                var (scaleBody, _) = await RequestBody.ReadAsync(request, context.RequestAborted);
                var rescaled = await ScaleSubresource.WriteAsync(operations, type, @namespace!, name, request.Method, request.ContentType ?? string.Empty, scaleBody, WriteOptionsOf(request));
                await Responses.JsonAsync(context, 200, ScaleSubresource.Of(rescaled.Value));
                return;
            case ("DELETE", { } name, null):
                var (deleted, _) = await operations.DeleteAsync(type, @namespace!, name, await DeleteOptionsOf(context));
                await Responses.BytesAsync(context, 200, deleted.Json);
                return;
            case ("DELETE", null, null):
                var labelSelector = LabelSelector.Parse(request.Query["labelSelector"]);
                var fieldSelector = FieldSelector.Parse(request.Query["fieldSelector"]);
                var removed = await operations.DeleteCollectionAsync(type, target.Namespace, item => Matches(item, labelSelector, fieldSelector), await DeleteOptionsOf(context));
                await WriteListAsync(context, type, removed, operations.Store.Revision, null);
                return;
            default:
                throw ApiException.MethodNotAllowed(request.Method);
        }
    }

    private async Task ListAsync(HttpContext context, ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, bool asTable)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var parsedLimit) && parsedLimit > 0 ? parsedLimit : 0;
        var afterKey = DecodeContinue(query["continue"].ToString());
        var (items, revision, nextKey) = operations.Store.List(type.StorageId, @namespace, item => Matches(item, labels, fields), afterKey, limit);
        var continueToken = nextKey is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{revision}|{nextKey}"));
        if (asTable)
        {
            var table = tables.Build(type, items.Select(item => item.Value), revision.ToString(CultureInfo.InvariantCulture), continueToken,
                context.Request.Query["includeObject"] == "Object");
            await Responses.JsonAsync(context, 200, table);
            return;
        }

        await WriteListAsync(context, type, items, revision, continueToken);
    }

    private static async Task WriteListAsync(HttpContext context, ResourceType type, List<StoredObject> items, long revision, string? continueToken)
    {
        var header = new JsonObject
        {
            ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture),
        };
        if (continueToken is not null)
        {
            header["continue"] = continueToken;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        Write(body, $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.ApiVersion}\",\"metadata\":{header.ToJsonString()},\"items\":[");
        for (var index = 0; index < items.Count; index++)
        {
            if (index > 0)
            {
                Write(body, ",");
            }

            Write(body, items[index].Json);
            if (index % 256 == 255)
            {
                await body.FlushAsync(context.RequestAborted);
            }
        }

        Write(body, "]}");
        await body.FlushAsync(context.RequestAborted);
    }

    private async Task WriteObjectAsync(HttpContext context, int status, ResourceType type, StoredObject stored, bool asTable)
    {
        if (asTable)
        {
            await Responses.JsonAsync(context, status, tables.Build(type, [stored.Value], stored.ResourceVersion.ToString(CultureInfo.InvariantCulture), null,
                context.Request.Query["includeObject"] == "Object"));
            return;
        }

        await Responses.BytesAsync(context, status, stored.Json);
    }

    private async Task BindAsync(HttpContext context, ResourceType type, string @namespace, string name)
    {
        if (type.StorageId != "pods")
        {
            throw ApiException.NotFound(ResourceOperations.Describe(type), name);
        }

        var (body, _) = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        var node = Meta.Text(body?["target"], "name") ?? throw ApiException.Invalid("Binding", name, [("target.name", "Required value")]);
        await operations.Store.WriteAsync(transaction =>
        {
            var pod = transaction.Get("pods", @namespace, name) ?? throw ApiException.NotFound("pods", name);
            if (Meta.Text(pod.Value["spec"], "nodeName") is { Length: > 0 } existing)
            {
                throw ApiException.Conflict("pods/binding", name, $"pod {name} is already assigned to node \"{existing}\"");
            }

            var next = pod.Value.DeepClone().AsObject();
            next["spec"]!["nodeName"] = node;
            // As the API server does: the Binding's annotations land on the pod in the same write, so a scheduler's
            // allocation record and the binding can never be seen apart.
            if (body?["metadata"]?["annotations"] is JsonObject annotations && annotations.Count > 0)
            {
                var metadata = next["metadata"]!.AsObject();
                var onPod = metadata["annotations"] as JsonObject ?? [];
                metadata["annotations"] = onPod;
                foreach (var (key, value) in annotations)
                {
                    onPod[key] = value?.DeepClone();
                }
            }

            return transaction.Put("pods", @namespace, name, next);
        });
        await Responses.JsonAsync(context, 201, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 });
    }

    private async Task ReviewAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        if (context.Request.Method != "POST" || target.Name is not null)
        {
            throw ApiException.MethodNotAllowed(context.Request.Method);
        }

        var review = await ObjectBodyAsync(context, type);
        ObjectPreparation.CheckKind(type, review);
        await Responses.JsonAsync(context, 201, reviews.Answer(type, review, Caller(context)));
    }

    private static UserInfo Caller(HttpContext context) =>
        context.Features.Get<UserInfo>() ?? throw new InvalidOperationException("the request reached a resource verb without an authenticated user");

    private static async Task<JsonObject> ObjectBodyAsync(HttpContext context, ResourceType type)
    {
        var (node, bytes) = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        if (node is not JsonObject body)
        {
            throw ApiException.BadRequest($"the request body must be a {type.Kind} object");
        }

        ObjectPreparation.CheckSize(type, Meta.Name(body) ?? string.Empty, bytes);
        return body;
    }

    private static WriteOptions WriteOptionsOf(HttpRequest request)
    {
        var validation = request.Query["fieldValidation"].ToString() switch
        {
            "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Warn\", \"Strict\""),
        };
        return new WriteOptions(request.Query["dryRun"] == "All", validation)
        {
            FieldManager = request.Query["fieldManager"].FirstOrDefault(),
            Force = request.Query["force"] == "true",
            User = request.HttpContext.Features.Get<UserInfo>(),
        };
    }

    private static async Task<DeleteOptions> DeleteOptionsOf(HttpContext context)
    {
        var query = context.Request.Query;
        JsonObject? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = (await RequestBody.ReadAsync(context.Request, context.RequestAborted)).Node as JsonObject;
        }

        long? grace = long.TryParse(query["gracePeriodSeconds"], out var queryGrace) ? queryGrace : JsonText.WholeNumber(body?["gracePeriodSeconds"]);
        var dryRun = query["dryRun"] == "All" || (body?["dryRun"] as JsonArray)?.Any(item => item?.ToString() == "All") == true;
        return new DeleteOptions(
            grace,
            query["propagationPolicy"].FirstOrDefault() ?? Meta.Text(body, "propagationPolicy") ?? (body?["orphanDependents"]?.GetValue<bool>() == true ? "Orphan" : null),
            Meta.Text(body?["preconditions"], "uid"),
            Meta.Text(body?["preconditions"], "resourceVersion"),
            dryRun);
    }

    private static void CheckScope(RequestTarget target, ResourceType type)
    {
        if (!type.Namespaced && target.Namespace is not null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        if (type.Namespaced && target.Namespace is null && (target.Name is not null || target.Subresource is not null))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        if (target.Subresource is not null && !(target.Subresource == "status" && type.HasStatus) && !(target.Subresource == "scale" && type.HasScale)
            && !type.ExtraSubresources.Contains(target.Subresource))
        {
            throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({type.Plural}/{target.Subresource})");
        }
    }

    private static bool Matches(StoredObject item, LabelSelector labels, FieldSelector fields) =>
        (labels.IsEmpty || labels.Matches(Meta.Labels(item.Value))) && (fields.IsEmpty || fields.Matches(item.Value));

    private static string? DecodeContinue(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 ? text[(bar + 1)..] : throw ApiException.BadRequest("continue: Invalid value: the continue token is malformed");
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest("continue: Invalid value: the continue token is malformed");
        }
    }

    private static void Write(System.IO.Pipelines.PipeWriter writer, string text) => Write(writer, Encoding.UTF8.GetBytes(text));

    private static void Write(System.IO.Pipelines.PipeWriter writer, byte[] bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }
}
