using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Pipelines.Kube;

/// <summary>
/// A thin JSON client over the API server's REST paths (one HttpClient, System.Text.Json with the API's options).
/// Watches stream through <see cref="OpenStreamAsync"/>; everything else is a single request with a time limit.
/// Non-success answers become <see cref="ApiStatusException"/>.
/// </summary>
public sealed class KubeRestClient
{
    private const string MergePatch = "application/merge-patch+json";
    private readonly HttpClient _http;
    private readonly Uri _baseUri;
    private readonly Func<HttpRequestMessage, CancellationToken, Task> _authorize;

    public KubeRestClient(HttpClient http, Uri baseUri, Func<HttpRequestMessage, CancellationToken, Task>? authorize = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUri);
        _http = http;
        _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _authorize = authorize ?? ((_, _) => Task.CompletedTask);
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Time limit for one non-watch request.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>Reuses a KubernetesClient's transport (TLS, client certificates) and credentials (tokens, exec plugins).</summary>
    public static KubeRestClient FromKubernetes(Kubernetes client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var credentials = client.Credentials;
        return new KubeRestClient(client.HttpClient, client.BaseUri, (request, ct) => credentials?.ProcessHttpRequestAsync(request, ct) ?? Task.CompletedTask);
    }

    /// <summary>A client that sends a fixed bearer token (the embedded server, tests).</summary>
    public static KubeRestClient WithBearerToken(HttpClient http, Uri baseUri, string token) =>
        new(http, baseUri, (request, _) =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return Task.CompletedTask;
        });

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        await SendJsonAsync<T>(HttpMethod.Get, path, null, null, cancellationToken);

    /// <summary>GET that answers null for 404.</summary>
    public async Task<T?> TryGetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GetAsync<T>(path, cancellationToken);
        }
        catch (ApiStatusException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<T> CreateAsync<T>(string collectionPath, T body, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(HttpMethod.Post, collectionPath, JsonSerializer.SerializeToNode(body, TensorFusionJson.Options), null, cancellationToken);

    public Task<T> ReplaceAsync<T>(string path, T body, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(HttpMethod.Put, path, JsonSerializer.SerializeToNode(body, TensorFusionJson.Options), null, cancellationToken);

    /// <summary>RFC 7386 merge patch (put metadata.resourceVersion in it for an optimistic-concurrency precondition).</summary>
    public Task<T> MergePatchAsync<T>(string path, JsonNode patch, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(HttpMethod.Patch, path, patch, MergePatch, cancellationToken);

    /// <summary>DELETE; 404 counts as done. A uid precondition guards against deleting a newer object of the same name.</summary>
    public async Task DeleteAsync(string path, string? uid, CancellationToken cancellationToken)
    {
        JsonNode? body = uid is null ? null : new JsonObject
        {
            ["kind"] = "DeleteOptions",
            ["apiVersion"] = "v1",
            ["preconditions"] = new JsonObject { ["uid"] = uid },
        };
        try
        {
            await SendJsonAsync<JsonNode>(HttpMethod.Delete, path, body, null, cancellationToken);
        }
        catch (ApiStatusException e) when (e.IsNotFound || (uid is not null && e.IsConflict))
        {
            // Already gone (or replaced by a newer object, which is not ours to delete).
        }
    }

    /// <summary>Opens a streaming GET (a watch). The caller owns and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUri, pathAndQuery));
        await _authorize(request, cancellationToken);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ToExceptionAsync(response, cancellationToken);
            }
        }

        return response;
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, JsonNode? body, string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(TensorFusionJson.Options), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        await _authorize(request, timeout.Token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, timeout.Token);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        return await JsonSerializer.DeserializeAsync<T>(stream, TensorFusionJson.Options, timeout.Token)
            ?? throw new ApiStatusException(response.StatusCode, "EmptyBody", $"{method} {path} answered with an empty body");
    }

    private static async Task<ApiStatusException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? reason = null;
        var message = text;
        List<(string, string)> causes = [];
        try
        {
            if (JsonNode.Parse(text) is JsonObject status)
            {
                reason = (string?)status["reason"];
                message = (string?)status["message"] ?? text;
                causes = [.. (status["details"]?["causes"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(cause => ((string?)cause["reason"] ?? string.Empty, (string?)cause["message"] ?? string.Empty))];
            }
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's plain-text answer): keep the raw text as the message.
        }

        TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
        if (retryAfter is null && response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.TryGetValues("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), out var seconds))
        {
            retryAfter = TimeSpan.FromSeconds(seconds);
        }

        return new ApiStatusException(response.StatusCode, reason ?? response.ReasonPhrase, message, retryAfter) { Causes = causes };
    }
}
