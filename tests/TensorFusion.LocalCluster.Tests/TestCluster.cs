using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

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
        Http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
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
