using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Pipelines.Tests.Workloads;

/// <summary>
/// The API server as far as a reconcile needs it, in memory: LIST answers the stored objects of a resource (by its
/// plural, whatever the namespace or selector), a watch stays open and silent until cancelled, and every write is
/// recorded and answered as accepted (a create echoes its body). Reads happen only when informers list, so what a test
/// asserts on is exactly what the code under test wrote.
/// </summary>
internal sealed class InMemoryKubeApi : HttpMessageHandler
{
    private readonly Dictionary<string, List<JsonNode>> _stored = new(StringComparer.Ordinal);
    private readonly List<KubeWrite> _writes = [];

    /// <summary>The writes so far, in order.</summary>
    public IReadOnlyList<KubeWrite> Writes
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Stores an object of the resource <paramref name="plural"/> (e.g. <c>pods</c>, <c>gpupools</c>).</summary>
    public InMemoryKubeApi With<T>(string plural, T item)
    {
        var node = JsonSerializer.SerializeToNode(item, TensorFusionJson.Options)!;
        return WithJson(plural, node);
    }

    /// <summary>Stores a JSON object as is, e.g. one whose fields do not decode.</summary>
    public InMemoryKubeApi WithJson(string plural, JsonNode item)
    {
        if (!_stored.TryGetValue(plural, out var items))
        {
            _stored[plural] = items = [];
        }

        items.Add(item);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Get)
        {
            return request.RequestUri.Query.Contains("watch=true", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new Pipe().Reader.AsStream()) }
                : Json(HttpStatusCode.OK, List(path[(path.LastIndexOf('/') + 1)..]));
        }

        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        lock (_writes)
        {
            _writes.Add(new KubeWrite(request.Method.Method, path, body));
        }

        return request.Method == HttpMethod.Post
            ? Json(HttpStatusCode.Created, body!.ToJsonString())
            : Json(HttpStatusCode.OK, "{}");
    }

    private string List(string plural)
    {
        var items = new JsonArray([.. _stored.GetValueOrDefault(plural, []).Select(item => item.DeepClone())]);
        return new JsonObject
        {
            ["kind"] = "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
            ["items"] = items,
        }.ToJsonString();
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string json) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
