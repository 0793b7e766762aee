using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Tests;

/// <summary>A started in-memory server with a typed client, a raw HTTP client and a kubeconfig, for one test.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(LocalApiServer server, string directory)
    {
        Server = server;
        Directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(KubeconfigPath);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        Http = server.CreateHttpClient();
        Http.Timeout = TimeSpan.FromSeconds(30);
    }

    public LocalApiServer Server { get; }

    public string Directory { get; }

    public string KubeconfigPath { get; }

    public Kubernetes Client { get; }

    public HttpClient Http { get; }

    public static async Task<TestCluster> StartAsync(LocalApiServerOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tf-localcluster-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var server = await LocalApiServer.StartAsync(options ?? new LocalApiServerOptions(), CancellationToken.None);
        return new TestCluster(server, directory);
    }

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    /// <summary>POSTs a YAML manifest from TestData (or a literal) and returns the created object.</summary>
    public async Task<JsonObject> CreateYamlAsync(string path, string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await Http.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public Task<JsonObject> ApplyWidgetsCrdAsync() =>
        CreateYamlAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", File.ReadAllText(TestData("widgets-crd.yaml")));

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Waits (on the store's event feed, not by polling) until an object of the resource matches.</summary>
    public async Task<StoredObject> WaitForAsync(string storageId, Func<StoredObject, bool> condition, TimeSpan? timeout = null)
    {
        var (subscription, _) = Server.Store.Subscribe(storageId, null, initialState: true);
        using (subscription)
        {
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            await foreach (var change in subscription.Events.ReadAllAsync(deadline.Token))
            {
                if (change.Type != TensorFusion.LocalCluster.Storage.WatchEventType.Deleted && change.Current is { } current && condition(current))
                {
                    return current;
                }
            }
        }

        throw new TimeoutException($"no {storageId} object matched");
    }

    /// <summary>Waits until an object is gone (a DELETED event, or absent from the start).</summary>
    public async Task WaitForDeletionAsync(string storageId, string @namespace, string name, TimeSpan? timeout = null)
    {
        var (subscription, _) = Server.Store.Subscribe(storageId, null, initialState: false);
        using (subscription)
        {
            if (Server.Store.Get(storageId, @namespace, name) is null)
            {
                return;
            }

            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            await foreach (var change in subscription.Events.ReadAllAsync(deadline.Token))
            {
                if (change.Type == TensorFusion.LocalCluster.Storage.WatchEventType.Deleted && change.Current!.Namespace == @namespace && change.Current.Name == name)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl child may still hold a file; the temp directory is cleaned up later.
        }
    }
}
