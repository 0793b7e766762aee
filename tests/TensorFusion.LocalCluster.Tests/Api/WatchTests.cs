using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Api;

public sealed class WatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TypedWatch_NoResourceVersion_StartsWithAddedForExistingObjects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await CreateMapAsync(cluster, "before");
        var events = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
#pragma warning disable CS0618 // The callback watch is what informer-style code in this project uses today.
        using var response = cluster.Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true);
        using var watcher = response.Watch<V1ConfigMap, V1ConfigMapList>((type, item) => events.Writer.TryWrite((type, item)));
#pragma warning restore CS0618

        var first = await ReadAsync(events.Reader);
        await CreateMapAsync(cluster, "after");
        var second = await ReadAsync(events.Reader);

        Assert.Equal((WatchEventType.Added, "before"), (first.Item1, first.Item2.Metadata.Name));
        Assert.Equal((WatchEventType.Added, "after"), (second.Item1, second.Item2.Metadata.Name));
    }

    [Fact]
    public async Task Watch_FromResourceVersion_ReplaysOnlyLaterChangesIncludingDelete()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await CreateMapAsync(cluster, "m");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"v"}}""", V1Patch.PatchType.MergePatch), "m", "default");
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("m", "default");

        var lines = await ReadLinesAsync(cluster, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={created.Metadata.ResourceVersion}&timeoutSeconds=1", 2);

        Assert.Equal(["MODIFIED", "DELETED"], lines.Select(line => line["type"]!.ToString()));
        Assert.True(long.Parse(lines[1]["object"]!["metadata"]!["resourceVersion"]!.ToString()) > long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task GenericWatch_WithResourceVersion_SeesCustomResourceChanges()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        var list = await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>("example.tensor-fusion.ai", "v1", "default", "widgets");
        var events = Channel.CreateUnbounded<(WatchEventType, JsonObject)>();
#pragma warning disable CS0618 // The only typed custom-object watch that takes a resourceVersion.
        using var response = cluster.Client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
            "example.tensor-fusion.ai", "v1", "default", "widgets", watch: true, resourceVersion: list["metadata"]!["resourceVersion"]!.ToString());
        using var watcher = response.Watch<JsonObject, object>((type, item) => events.Writer.TryWrite((type, item)));
#pragma warning restore CS0618

        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(CustomResourceTests.Widget("w", "large"), "example.tensor-fusion.ai", "v1", "default", "widgets");
        var added = await ReadAsync(events.Reader);

        Assert.Equal(WatchEventType.Added, added.Item1);
        Assert.Equal("large", added.Item2["spec"]!["size"]!.ToString());
    }

    [Fact]
    public async Task Watch_CompactedResourceVersion_AnswersExpired410()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { WatchHistoryCapacity = 5 });
        for (var index = 0; index < 10; index++)
        {
            await CreateMapAsync(cluster, $"m{index}");
        }

        var lines = await ReadLinesAsync(cluster, "api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1", 1);

        Assert.Equal("ERROR", lines[0]["type"]!.ToString());
        Assert.Equal(410, lines[0]["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", lines[0]["object"]!["reason"]!.ToString());
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWithCurrentVersion()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        var created = await CreateMapAsync(cluster, "b");

        var lines = await ReadLinesAsync(cluster, $"api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion={created.Metadata.ResourceVersion}", 1);

        Assert.Equal("BOOKMARK", lines[0]["type"]!.ToString());
        Assert.Equal(created.Metadata.ResourceVersion, lines[0]["object"]!["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        await using var cluster = await TestCluster.StartAsync();

        using var response = await cluster.Http.GetAsync("api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Patience);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, body);
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectLeavingSelectionArrivesAsDeleted()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "sel", Labels = new Dictionary<string, string> { ["tier"] = "gpu" } } }, "default");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"tier":"cpu"}}}""", V1Patch.PatchType.MergePatch), "sel", "default");

        var lines = await ReadLinesAsync(cluster, $"api/v1/namespaces/default/configmaps?watch=true&labelSelector=tier%3Dgpu&resourceVersion={long.Parse(created.Metadata.ResourceVersion) - 1}", 2);

        Assert.Equal(["ADDED", "DELETED"], lines.Select(line => line["type"]!.ToString()));
    }

    [Fact]
    public async Task HundredWatchers_WritesEveryFewMilliseconds_AllSeeSameOrderedEvents()
    {
        await using var cluster = await TestCluster.StartAsync();
        const int Writes = 200;
        var start = cluster.Server.Store.Revision;
        var watchers = Enumerable.Range(0, 100)
            .Select(_ => ReadLinesAsync(cluster, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}", Writes))
            .ToList();
        for (var index = 0; index < Writes; index++)
        {
            await CreateMapAsync(cluster, $"w{index}");
            if (index % 20 == 0)
            {
                await Task.Yield();
            }
        }

        var results = await Task.WhenAll(watchers);

        var expected = Enumerable.Range(0, Writes).Select(index => $"w{index}").ToList();
        Assert.All(results, lines => Assert.Equal(expected, lines.Select(line => line["object"]!["metadata"]!["name"]!.ToString())));
        Assert.All(results, lines =>
        {
            var versions = lines.Select(line => long.Parse(line["object"]!["metadata"]!["resourceVersion"]!.ToString())).ToList();
            Assert.Equal(versions.Order(), versions);
        });
    }

    private static Task<V1ConfigMap> CreateMapAsync(TestCluster cluster, string name) =>
        cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, "default");

    private static async Task<T> ReadAsync<T>(ChannelReader<T> reader) => await reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>Reads the first <paramref name="count"/> watch lines, then hangs up.</summary>
    internal static async Task<List<JsonObject>> ReadLinesAsync(TestCluster cluster, string path, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await cluster.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var lines = new List<JsonObject>();
        while (lines.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(JsonNode.Parse(line)!.AsObject());
        }

        return lines;
    }
}
