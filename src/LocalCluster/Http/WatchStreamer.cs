using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Selectors;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Http;

/// <summary>
/// Serves `?watch=true`: newline-delimited JSON events over a chunked response, flushed whenever the feed runs dry.
/// Selector watches turn objects that leave the selection into DELETED and ones that enter it into ADDED.
/// </summary>
public sealed class WatchStreamer(ObjectStore store, LocalApiServerOptions options, TableBuilder tables)
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public async Task StreamAsync(HttpContext context, ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, bool asTable)
    {
        var query = context.Request.Query;
        var resourceVersion = query["resourceVersion"].ToString();
        long? from = null;
        if (resourceVersion is not ("" or "0"))
        {
            from = long.TryParse(resourceVersion, out var parsed) && parsed >= 0
                ? parsed
                : throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": must be an integer");
        }

        var timeout = TimeSpan.FromSeconds(long.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0 ? seconds : 1800);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription subscription;
        try
        {
            (subscription, _) = store.Subscribe(type.StorageId, from, initialState: true);
        }
        catch (ExpiredRevisionException expired)
        {
            var status = new ApiException(410, "Expired", $"too old resource version: {expired.Requested} ({expired.OldestResumable})").ToStatus();
            await WriteAsync(context, Encode("ERROR", status), context.RequestAborted);
            return;
        }

        using (subscription)
        using (var timer = new CancellationTokenSource(timeout, options.TimeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, context.RequestAborted))
        using (var streamEnded = CancellationTokenSource.CreateLinkedTokenSource(linked.Token))
        {
            await context.Response.StartAsync(linked.Token);
            await context.Response.Body.FlushAsync(linked.Token);
            var bookmarks = query["allowWatchBookmarks"] == "true" ? BookmarkAsync(subscription, streamEnded.Token) : Task.CompletedTask;
            try
            {
                var reader = subscription.Events;
                while (await reader.WaitToReadAsync(linked.Token))
                {
                    while (reader.TryRead(out var change))
                    {
                        var line = Render(change, type, @namespace, labels, fields, asTable);
                        if (line is not null)
                        {
                            await context.Response.Body.WriteAsync(line, linked.Token);
                        }
                    }

                    await context.Response.Body.FlushAsync(linked.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // timeoutSeconds elapsed or the client went away: end the stream cleanly.
            }

            // The feed can also end on its own (server stopping): the bookmark timer must stop with it, or the request
            // would stay open until the client gives up and hold the server's graceful stop for that long.
            await streamEnded.CancelAsync();
            await bookmarks;
        }
    }

    private async Task BookmarkAsync(WatchSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.BookmarkInterval, options.TimeProvider, cancellationToken);
                store.Bookmark(subscription);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }

    private byte[]? Render(WatchEvent change, ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, bool asTable)
    {
        if (change.Type == WatchEventType.Bookmark)
        {
            return Encode("BOOKMARK", new JsonObject
            {
                ["kind"] = type.Kind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = change.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        var current = change.Current!;
        if (@namespace is not null && current.Namespace != @namespace)
        {
            return null;
        }

        var eventType = WatchEvent.TypeName(change.Type);
        if (!labels.IsEmpty || !fields.IsEmpty)
        {
            var matchesNow = Matches(current, labels, fields);
            var matchedBefore = change.Previous is not null && Matches(change.Previous, labels, fields);
            eventType = (change.Type, matchesNow, matchedBefore) switch
            {
                (WatchEventType.Deleted, _, _) when matchesNow || matchedBefore => "DELETED",
                (WatchEventType.Added, true, _) => "ADDED",
                (WatchEventType.Modified, true, true) => "MODIFIED",
                (WatchEventType.Modified, true, false) => "ADDED",
                (WatchEventType.Modified, false, true) => "DELETED",
                _ => null,
            };
            if (eventType is null)
            {
                return null;
            }
        }

        if (asTable)
        {
            var table = tables.Build(type, [current.Value], current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), null, includeObject: false);
            return Encode(eventType, table);
        }

        if (eventType == WatchEvent.TypeName(change.Type))
        {
            return change.Line ??= EncodeRaw(eventType, current.Json);
        }

        return EncodeRaw(eventType, current.Json);
    }

    private static bool Matches(StoredObject stored, LabelSelector labels, FieldSelector fields) =>
        (labels.IsEmpty || labels.Matches(Meta.Labels(stored.Value))) && (fields.IsEmpty || fields.Matches(stored.Value));

    private static byte[] Encode(string eventType, JsonNode value) => EncodeRaw(eventType, JsonText.Encode(value));

    private static byte[] EncodeRaw(string eventType, byte[] json)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{eventType}\",\"object\":");
        var line = new byte[prefix.Length + json.Length + 2];
        prefix.CopyTo(line, 0);
        json.CopyTo(line, prefix.Length);
        line[^2] = (byte)'}';
        line[^1] = Newline[0];
        return line;
    }

    private static async Task WriteAsync(HttpContext context, byte[] line, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(line, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
