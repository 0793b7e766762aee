using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Authorization;
using TensorFusion.LocalCluster.Controllers;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster;

/// <summary>
/// An embedded Kubernetes-compatible API server on 127.0.0.1: built-in kinds, CRD-served custom resources, watches,
/// bearer-token auth, SQLite persistence (or memory), and optional simulated nodes. Start it, point a kubeconfig at
/// it (<see cref="WriteKubeconfig"/>), and dispose it to stop.
/// </summary>
public sealed class LocalApiServer : IAsyncDisposable
{
    private static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _controllers = [];

    private LocalApiServer(
        WebApplication app, ObjectStore store, ResourceRegistry registry, ResourceOperations operations, string token, X509Certificate2? certificate, ServiceAccountTokens serviceAccountTokens)
    {
        ServiceAccountTokens = serviceAccountTokens;
        _app = app;
        Certificate = certificate;
        Store = store;
        Registry = registry;
        Operations = operations;
        Token = token;
    }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The serving certificate (its own CA), or null when serving plain HTTP.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The admin bearer token (user "admin", group system:masters: cluster-admin), the one the kubeconfig carries.</summary>
    public string Token { get; }

    /// <summary>Signs and checks ServiceAccount tokens (what the TokenRequest API hands out), for in-process callers.</summary>
    public ServiceAccountTokens ServiceAccountTokens { get; }

    /// <summary>The in-memory index (for tests and benchmarks that want to look without HTTP).</summary>
    public ObjectStore Store { get; }

    public ResourceRegistry Registry { get; }

    /// <summary>The write semantics, for in-process callers that skip HTTP.</summary>
    public ResourceOperations Operations { get; }

    public static async Task<LocalApiServer> StartAsync(LocalApiServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        IObjectLog log = options.StateDirectory is null ? new InMemoryObjectLog() : new SqliteObjectLog(options.StateDirectory);
        var store = new ObjectStore(log, options.WatchHistoryCapacity, options.TimeProvider, options.WatchHistoryRetention);
        var registry = new ResourceRegistry();
        var operations = new ResourceOperations(store, registry, options.TimeProvider) { Webhooks = new Admission.AdmissionWebhooks(store), Policies = new Admission.AdmissionPolicies(store) };
        foreach (var crd in store.List(ResourceOperations.CrdStorageId, null, null).Items)
        {
            registry.ServeCustomResource(crd.Name, CustomResourceDefinitionReader.Read(crd.Value).Types);
        }

        var namespaces = registry.Find(string.Empty, "v1", "namespaces")!;
        foreach (var name in SystemNamespaces.Where(name => store.Get("namespaces", string.Empty, name) is null))
        {
            await operations.CreateAsync(namespaces, string.Empty, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, new WriteOptions());
        }

        await BootstrapPolicy.EnsureAsync(operations, registry);
        var token = options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var tables = new TableBuilder(options.TimeProvider);
        var serviceAccountTokens = new ServiceAccountTokens(store, options.TimeProvider);
        var authenticator = new RequestAuthenticator(token, serviceAccountTokens);
        var authorizer = new RbacAuthorizer(store);
        var endpoint = new ResourceEndpoint(
            operations, tables, new WatchStreamer(store, options, tables), new AccessReviews(authorizer, authenticator), new TokenRequests(store, serviceAccountTokens),
            new Disruption.PodEvictions(operations, options.TimeProvider), new Certificates.CertificateSubresources(operations, authorizer));
        var handler = new ApiRequestHandler(authenticator, authorizer, registry, endpoint);
        // TLS validity is checked by clients against the real clock, whatever clock the simulation runs on.
        var certificate = options.UseHttps ? LoopbackCertificate.Create(TimeProvider.System.GetUtcNow()) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.Limits.MaxRequestBodySize = RequestBody.DrainLimitBytes + 1;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        var server = new LocalApiServer(app, store, registry, operations, token, certificate, serviceAccountTokens);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        if (options.RunControllers)
        {
            server.StartControllers(options);
        }

        return server;
    }

    /// <summary>
    /// Writes a kubeconfig (context "tensorfusion-local") that points kubectl and clients at this server, with the admin
    /// token or, for a component running under its own identity, the given (ServiceAccount) token.
    /// </summary>
    public void WriteKubeconfig(string path, string? token = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var authority = Certificate is null
            ? string.Empty
            : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(LoopbackCertificate.Pem(Certificate)));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: tensorfusion-local
              cluster:
                server: {BaseUri.ToString().TrimEnd('/')}{authority}
            users:
            - name: tensorfusion-local
              user:
                token: {token ?? Token}
            contexts:
            - name: tensorfusion-local
              context:
                cluster: tensorfusion-local
                user: tensorfusion-local
                namespace: default
            current-context: tensorfusion-local

            """);
    }

    /// <summary>An HttpClient that trusts this server's certificate and sends its token (for raw HTTP calls).</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new HttpClientHandler();
        if (Certificate is { } trusted)
        {
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.RawData.AsSpan().SequenceEqual(trusted.RawData);
        }

        var client = new HttpClient(handler) { BaseAddress = BaseUri };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>
    /// Adds a node served by the built-in kubelet stand-in; with <paramref name="kubelet"/> its kubelet calls the DRA
    /// plugins registered there and resolves CDI devices from there.
    /// </summary>
    public async Task AddSimulatedNodeAsync(
        string name, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? capacity = null,
        Controllers.Dra.SimulatedKubeletPaths? kubelet = null)
    {
        var labelObject = new JsonObject { [SimulatedKubelet.SimulatedLabel] = "true", ["kubernetes.io/hostname"] = name };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            labelObject[key] = value;
        }

        var capacityObject = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
        foreach (var (key, value) in capacity ?? new Dictionary<string, string>())
        {
            capacityObject[key] = value;
        }

        var node = new JsonObject
        {
            ["metadata"] = kubelet is null
                ? new JsonObject { ["name"] = name, ["labels"] = labelObject }
                : new JsonObject { ["name"] = name, ["labels"] = labelObject, ["annotations"] = kubelet.ToAnnotations() },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject { ["capacity"] = capacityObject, ["allocatable"] = capacityObject.DeepClone() },
        };
        await Operations.CreateAsync(Registry.Find(string.Empty, "v1", "nodes")!, string.Empty, node, new WriteOptions());
    }

    /// <summary>Points an existing simulated node's kubelet at its DRA plugins and CDI specs (a state kept from an older run).</summary>
    public async Task SetSimulatedKubeletPathsAsync(string name, Controllers.Dra.SimulatedKubeletPaths kubelet)
    {
        ArgumentNullException.ThrowIfNull(kubelet);
        await Operations.PatchAsync(Registry.Find(string.Empty, "v1", "nodes")!, string.Empty, name, "application/merge-patch+json",
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = kubelet.ToAnnotations() } }, null, new WriteOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Store.EndWatches();
        await _app.StopAsync();
        await Store.DisposeAsync();
        try
        {
            await Task.WhenAll(_controllers);
        }
        catch (OperationCanceledException)
        {
            // Controllers stop by cancellation.
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
        Certificate?.Dispose();
        ServiceAccountTokens.Dispose();
    }

    private void StartControllers(LocalApiServerOptions options)
    {
        // Called directly (not Task.Run) so each controller has subscribed, and the kubelet's heartbeat timer exists,
        // before StartAsync returns: no event is missed and fake clocks can be advanced right away.
        var token = _stopping.Token;
        _controllers.Add(new GarbageCollector(Operations, Registry).RunAsync(token));
        _controllers.Add(new NamespaceController(Operations, Registry).RunAsync(token));
        _controllers.Add(new SimulatedKubelet(Operations, Registry, options).RunAsync(token));
        _controllers.Add(new Disruption.DisruptionController(Store, options.TimeProvider).RunAsync(token));
        _controllers.Add(new ReplicaControllers(Operations, Registry, options.TimeProvider).RunAsync(token));
        if (options.RunDefaultScheduler)
        {
            _controllers.Add(new DefaultScheduler(Operations).RunAsync(token));
        }
    }
}
