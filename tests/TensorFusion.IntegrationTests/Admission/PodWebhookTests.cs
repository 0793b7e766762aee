using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Host.Admission;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Admission;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Admission;

/// <summary>
/// The embedded control plane calling the operator's pod webhook over real HTTPS (verified against the caBundle the
/// operator published): pods created through the API come back mutated, workloads exist, bad annotations are refused.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PodWebhookTests : IAsyncLifetime, IDisposable
{
    private const string Pods = "api/v1/namespaces/default/pods";
    private OperatorCluster cluster = null!;
    private WebhookCertificates certificates = null!;
    private PodWebhookServer webhook = null!;
    private FakeTimeProvider clock = null!;

    public async Task InitializeAsync()
    {
        cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var pool = OperatorCluster.PoolObject("shared");
        pool["metadata"]!["annotations"] = new JsonObject { [Annotations.IsDefaultPool] = "true" };
        await cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), pool, CancellationToken.None);

        // Certificates issued 21 days "ago", so a renewal to today's clock yields certificates valid for the real TLS check.
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(21));
        certificates = new WebhookCertificates(clock, ["127.0.0.1", "localhost"]);
        webhook = await StartWebhookAsync(cluster.Direct, certificates);
        await Publisher().EnsureAsync("mutatingwebhookconfigurations", PodWebhookConfiguration.Build(new Uri(webhook.BaseUri!, PodWebhookServer.MutatePath), "tensor-fusion-sys"), certificates.CaBundle, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await webhook.DisposeAsync();
        await cluster.DisposeAsync();
    }

    public void Dispose() => certificates?.Dispose();

    [Fact]
    public async Task Create_AnnotatedBarePod_BecomesLocalWorkerOfItsOwnWorkload()
    {
        var stored = await CreatePodAsync("bare", new() { ["tflops-request"] = "10", ["tflops-limit"] = "20", ["vram-limit"] = "8Gi" });

        Assert.Equal(PodMutation.SchedulerName, stored["spec"]!["schedulerName"]!.GetValue<string>());
        Assert.Equal("bare", stored["metadata"]!["labels"]![Labels.Workload]!.GetValue<string>());
        Assert.Equal("shared", stored["metadata"]!["labels"]![Labels.GpuPool]!.GetValue<string>()); // the default pool
        Assert.Equal("8Gi", stored["metadata"]!["annotations"]![Annotations.VramRequest]!.GetValue<string>()); // request defaulted to the limit
        Assert.Equal("true", stored["metadata"]!["annotations"]![Annotations.EmbeddedWorker]!.GetValue<string>());
        var workload = await cluster.Direct.GetAsync<TensorFusionWorkload>(ResourceDescriptor.Workloads.ObjectPath("default", "bare"), CancellationToken.None);
        Assert.Equal("shared", workload.Spec.PoolName);
        Assert.Equal(QosLevel.Medium, workload.Spec.Qos); // request ≠ limit, pool has no default QoS
        Assert.True(workload.Spec.IsLocalGpu);
    }

    [Fact]
    public async Task Create_CriticalQos_GetsPriorityClass()
    {
        var stored = await CreatePodAsync("urgent", new() { ["tflops-request"] = "10", ["qos"] = "critical" });

        Assert.Equal(PodMutation.CriticalPriorityClass, stored["spec"]!["priorityClassName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_NativeGpuLimit_BecomesWholeGpuShareWithoutTheNativeLimit()
    {
        var pod = Pod("native", new() { ["vram-limit"] = "16Gi" });
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["nvidia.com/gpu"] = "1" } };

        var stored = await cluster.Direct.CreateAsync<JsonNode>(Pods, pod, CancellationToken.None);

        Assert.Null(stored["spec"]!["containers"]![0]!["resources"]!["limits"]!["nvidia.com/gpu"]);
        Assert.Equal("100", stored["metadata"]!["annotations"]![Annotations.ComputePercentLimit]!.GetValue<string>());
        Assert.Equal("1", stored["metadata"]!["annotations"]![Annotations.GpuCount]!.GetValue<string>());
    }

    [Theory]
    [InlineData("qos", "urgent", "tensor-fusion.ai/qos")]
    [InlineData("gpu-count", "129", "tensor-fusion.ai/gpu-count")]
    [InlineData("gpupool", "nowhere", "tensor-fusion.ai/gpupool")]
    [InlineData("compute-percent-request", "50", "mutually exclusive")]
    public async Task Create_BadAnnotation_RefusedWithTheAnnotationNamed(string key, string value, string expected)
    {
        var annotations = new Dictionary<string, string> { ["tflops-request"] = "10", [key] = value };

        var refused = await Assert.ThrowsAsync<ApiStatusException>(() => CreatePodAsync("bad-" + key, annotations));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("admission webhook \"mutate-pod.tensor-fusion.ai\" denied the request", refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Null(await cluster.Direct.TryGetAsync<JsonNode>($"{Pods}/bad-{key}", CancellationToken.None)); // nothing stored
    }

    [Fact]
    public async Task Create_WebhookDown_PlainPodsAdmittedGpuPodsRefused()
    {
        await webhook.DisposeAsync();

        var plain = Pod("plain", []);
        ((JsonObject)plain["metadata"]!).Remove("labels");
        var stored = await cluster.Direct.CreateAsync<JsonNode>(Pods, plain, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ApiStatusException>(() => CreatePodAsync("gpu", new() { ["tflops-request"] = "10" }));

        Assert.Equal("plain", stored["metadata"]!["name"]!.GetValue<string>());
        Assert.Contains("failed calling webhook", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewal_ServingCertificateDue_NewCertificateServedAndPodsStillAdmitted()
    {
        var before = certificates.Serving.Thumbprint;
        var renewal = new WebhookCertificateRenewal(
            certificates,
            (bundle, token) => Publisher().PublishAsync("mutatingwebhookconfigurations", PodWebhookConfiguration.Name, bundle, token),
            clock,
            NullLogger.Instance);

        clock.Advance(TimeSpan.FromDays(21)); // 30-day certificate with 9 days left: under a third, so it is renewed
        await renewal.CheckAsync(CancellationToken.None);
        var stored = await CreatePodAsync("after-renewal", new() { ["tflops-request"] = "10" });

        Assert.NotEqual(before, certificates.Serving.Thumbprint);
        Assert.Equal(PodMutation.SchedulerName, stored["spec"]!["schedulerName"]!.GetValue<string>());
    }

    private WebhookConfigurationPublisher Publisher() => new(cluster.Direct, NullLogger.Instance);

    private static async Task<PodWebhookServer> StartWebhookAsync(KubeRestClient client, WebhookCertificates certificates)
    {
        var reviewer = new PodAdmissionReviewer(new RestAdmissionCluster(client, GpuModelCatalog.Default), new PodAdmissionOptions(), NullLogger<PodAdmissionReviewer>.Instance);
        var server = new PodWebhookServer(reviewer, certificates, NullLogger.Instance);
        await server.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        return server;
    }

    private Task<JsonNode> CreatePodAsync(string name, Dictionary<string, string> annotations) =>
        cluster.Direct.CreateAsync<JsonNode>(Pods, Pod(name, annotations), CancellationToken.None);

    private static JsonObject Pod(string name, Dictionary<string, string> annotations)
    {
        var values = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            values[Labels.Prefix + key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "default",
                ["labels"] = new JsonObject { [Labels.Enabled] = "true" },
                ["annotations"] = values,
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "python:3.12-slim" }) },
        };
    }
}
