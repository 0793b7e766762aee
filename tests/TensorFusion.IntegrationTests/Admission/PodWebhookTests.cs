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
    private const string OperatorNamespace = "tensor-fusion-system";
    private const string Deployments = "apis/apps/v1/namespaces/default/deployments";
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
        await Publisher().EnsureAsync("mutatingwebhookconfigurations", PodWebhookConfiguration.Build(new Uri(webhook.BaseUri!, PodWebhookServer.MutatePath), OperatorNamespace), certificates.CaBundle, CancellationToken.None);
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
    public async Task Create_HandWiredClientPod_AdmittedUntouched()
    {
        // The pre-webhook form (deploy/examples/local/local-gpu.yaml): a workload written by hand, and a client pod that
        // names it by label and asks for nothing itself. The workload's spec stays the source of truth.
        var pod = Pod("hand-wired", []);
        pod["metadata"]!["labels"]![Labels.Workload] = "written-by-hand";

        var stored = await cluster.Direct.CreateAsync<JsonNode>(Pods, pod, CancellationToken.None);

        Assert.Null(stored["spec"]!["schedulerName"]);
        Assert.Null(await cluster.Direct.TryGetAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath("default", "written-by-hand"), CancellationToken.None));
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
    [InlineData("gpu-count", "0", "tensor-fusion.ai/gpu-count")]
    [InlineData("gpupool", "nowhere", "tensor-fusion.ai/gpupool")]
    [InlineData("compute-percent-request", "50", "mutually exclusive")]
    [InlineData("compute-percent-limit", "50", "mutually exclusive")]
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
    public async Task Create_WebhookDown_OperatorNamespaceNeverSent()
    {
        await cluster.Direct.CreateAsync<JsonNode>("api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = OperatorNamespace } }, CancellationToken.None);
        await webhook.DisposeAsync();

        // Labelled as a GPU pod, but in the operator's own namespace: the namespaceSelector keeps it away from the webhook,
        // so an operator restarting while its webhook is down is never blocked by itself.
        var stored = await cluster.Direct.CreateAsync<JsonNode>($"api/v1/namespaces/{OperatorNamespace}/pods", Pod("operator-0", new() { ["tflops-request"] = "10" }, OperatorNamespace), CancellationToken.None);

        Assert.Null(stored["spec"]!["schedulerName"]); // not mutated: never sent
    }

    [Fact]
    public async Task Scale_AnnotatedDeploymentOneThreeZero_EveryReplicaAWorkerOfTheDeploymentsWorkload()
    {
        await cluster.Direct.CreateAsync<JsonNode>(Deployments, Deployment("trainer", replicas: 1, new() { ["tflops-request"] = "10", ["vram-limit"] = "4Gi" }), CancellationToken.None);
        await WaitForReplicasAsync("trainer", 1);
        var workload = await cluster.Direct.GetAsync<TensorFusionWorkload>(ResourceDescriptor.Workloads.ObjectPath("default", "trainer"), CancellationToken.None);

        await ScaleAsync("trainer", 3);
        var three = await WaitForReplicasAsync("trainer", 3);
        await ScaleAsync("trainer", 0);
        await WaitForReplicasAsync("trainer", 0);

        // Named after the root controller (ReplicaSet → Deployment) and collected with it, not with a ReplicaSet.
        Assert.Equal("Deployment", Assert.Single(workload.Metadata.OwnerReferences).Kind);
        Assert.Equal("shared", workload.Spec.PoolName);
        Assert.All(three, pod =>
        {
            Assert.Equal(PodMutation.SchedulerName, pod.Spec.SchedulerName);
            Assert.Equal("4Gi", pod.Metadata.Annotations[Annotations.VramRequest]);
        });
        Assert.NotNull(await cluster.Direct.TryGetAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath("default", "trainer"), CancellationToken.None)); // kept at 0 replicas
    }

    [Fact]
    public async Task Create_AnnotatedJob_ParallelPodsBecomeWorkersOfTheJobsWorkload()
    {
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = "finetune" },
            ["spec"] = new JsonObject
            {
                ["completions"] = 4,
                ["parallelism"] = 2,
                ["template"] = Template(new() { ["tflops-request"] = "20", ["gpu-count"] = "2" }, restartPolicy: "Never"),
            },
        };

        await cluster.Direct.CreateAsync<JsonNode>("apis/batch/v1/namespaces/default/jobs", job, CancellationToken.None);
        var pods = await WaitForReplicasAsync("finetune", 2);
        var workload = await cluster.Direct.GetAsync<TensorFusionWorkload>(ResourceDescriptor.Workloads.ObjectPath("default", "finetune"), CancellationToken.None);

        Assert.Equal("Job", Assert.Single(workload.Metadata.OwnerReferences).Kind);
        Assert.Equal(2, workload.Spec.GpuCount);
        Assert.All(pods, pod => Assert.Equal("2", pod.Metadata.Annotations[Annotations.GpuCount]));
    }

    [Fact]
    public async Task Create_DeploymentWithBadAnnotation_ReplicaSetSaysWhyNoPodExists()
    {
        await cluster.Direct.CreateAsync<JsonNode>(Deployments, Deployment("broken", replicas: 2, new() { ["tflops-request"] = "10", ["qos"] = "urgent" }), CancellationToken.None);

        // The refusal is not silent: the ReplicaSet's ReplicaFailure condition (and a FailedCreate event) carry kubectl's message.
        await WaitForStoreAsync(() => ReplicaFailure("broken") is not null, "the ReplicaSet of broken reports ReplicaFailure");

        Assert.Contains("tensor-fusion.ai/qos", ReplicaFailure("broken"), StringComparison.Ordinal);
        Assert.Empty(cluster.Pods.List(pod => pod.Metadata.Name.StartsWith("broken-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Create_DeploymentWhileWebhookDown_ReplicaFailureThenWorkersOnceItIsBack()
    {
        var port = webhook.BaseUri!.Port;
        await webhook.DisposeAsync();

        await cluster.Direct.CreateAsync<JsonNode>(Deployments, Deployment("patient", replicas: 1, new() { ["tflops-request"] = "10" }), CancellationToken.None);
        await WaitForStoreAsync(() => ReplicaFailure("patient")?.Contains("failed calling webhook", StringComparison.Ordinal) == true, "ReplicaFailure: failed calling webhook");
        webhook = await StartWebhookAsync(cluster.Direct, certificates, port);

        // The ReplicaSet controller retries every ReplicaControllers.RetryInterval (5 s) until the create succeeds.
        var admitted = await WaitForReplicasAsync("patient", 1);
        await WaitForStoreAsync(() => ReplicaFailure("patient") is null, "ReplicaFailure cleared");

        Assert.Equal(PodMutation.SchedulerName, Assert.Single(admitted).Spec.SchedulerName);
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

    [Fact]
    public async Task Renewal_CaDue_NewCaPublishedBesideTheOldAndPodsStillAdmitted()
    {
        // A process whose CA (365 days) was made 306 days "ago": 59 days left, under the 60 at which it is replaced.
        await webhook.DisposeAsync();
        var caClock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(306));
        using var aging = new WebhookCertificates(caClock, ["127.0.0.1", "localhost"]);
        webhook = await StartWebhookAsync(cluster.Direct, aging, webhook.BaseUri!.Port);
        var oldCa = aging.CaBundle;
        var renewal = new WebhookCertificateRenewal(
            aging,
            (bundle, token) => Publisher().PublishAsync("mutatingwebhookconfigurations", PodWebhookConfiguration.Name, bundle, token),
            caClock,
            NullLogger.Instance);

        caClock.Advance(TimeSpan.FromDays(306)); // today, by the real clock the API server's TLS check uses
        await renewal.CheckAsync(CancellationToken.None);
        var stored = await CreatePodAsync("after-ca-renewal", new() { ["tflops-request"] = "10" });
        var configuration = await cluster.Direct.GetAsync<JsonNode>($"apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/{PodWebhookConfiguration.Name}", CancellationToken.None);
        var published = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(configuration["webhooks"]![0]!["clientConfig"]!["caBundle"]!.GetValue<string>()));

        Assert.Equal(PodMutation.SchedulerName, stored["spec"]!["schedulerName"]!.GetValue<string>());
        Assert.Contains(System.Text.Encoding.ASCII.GetString(oldCa).Trim(), published, StringComparison.Ordinal); // the old CA stays trusted until it expires
        Assert.NotEqual(oldCa, aging.CaBundle); // a new CA signs the serving certificate now
    }

    private string? ReplicaFailure(string deployment) =>
        cluster.Server.Store.List("replicasets.apps", "default", item => item.Name.StartsWith(deployment + "-", StringComparison.Ordinal)).Items
            .SelectMany(item => item.Value["status"]?["conditions"]?.AsArray() ?? [])
            .Where(condition => condition?["type"]?.GetValue<string>() == "ReplicaFailure")
            .Select(condition => condition!["message"]!.GetValue<string>())
            .FirstOrDefault();

    /// <summary>Re-checks <paramref name="condition"/> on every change the API server stores, until it holds.</summary>
    private async Task WaitForStoreAsync(Func<bool> condition, string what)
    {
        var (subscription, _) = cluster.Server.Store.Subscribe(null, null, initialState: false);
        using (subscription)
        {
            using var deadline = new CancellationTokenSource(OperatorCluster.Wait);
            try
            {
                if (condition())
                {
                    return;
                }

                await foreach (var _ in subscription.Events.ReadAllAsync(deadline.Token))
                {
                    if (condition())
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // Reported below with what was awaited.
            }
        }

        throw new TimeoutException($"waited {OperatorCluster.Wait.TotalSeconds:0} s for: {what}");
    }

    private async Task<IReadOnlyList<k8s.Models.V1Pod>> WaitForReplicasAsync(string workload, int count)
    {
        IReadOnlyList<k8s.Models.V1Pod> Replicas(Pipelines.Informers.Informer<k8s.Models.V1Pod> pods) =>
            pods.List(pod => pod.Metadata.DeletionTimestamp is null && pod.Metadata.Labels?.TryGetValue(Labels.Workload, out var name) == true && name == workload);
        await OperatorCluster.WaitUntilAsync(cluster.Pods, pods => Replicas(pods).Count == count, $"{count} admitted replicas of {workload}");
        return Replicas(cluster.Pods);
    }

    private Task<JsonNode> ScaleAsync(string deployment, int replicas) =>
        cluster.Direct.MergePatchAsync<JsonNode>($"{Deployments}/{deployment}/scale", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, CancellationToken.None);

    private static JsonObject Deployment(string name, int replicas, Dictionary<string, string> annotations) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = Template(annotations, restartPolicy: null, ("app", name)),
        },
    };

    /// <summary>A pod template as users write it for upstream: the opt-in label and tensor-fusion.ai annotations, nothing else.</summary>
    private static JsonObject Template(Dictionary<string, string> annotations, string? restartPolicy, params (string Key, string Value)[] labels)
    {
        var pod = Pod(string.Empty, annotations);
        var metadata = (JsonObject)pod["metadata"]!;
        metadata.Remove("name");
        metadata.Remove("namespace");
        foreach (var (key, value) in labels)
        {
            metadata["labels"]![key] = value;
        }

        var spec = (JsonObject)pod["spec"]!;
        if (restartPolicy is not null)
        {
            spec["restartPolicy"] = restartPolicy;
        }

        return new JsonObject { ["metadata"] = metadata.DeepClone(), ["spec"] = spec.DeepClone() };
    }

    private WebhookConfigurationPublisher Publisher() => new(cluster.Direct, NullLogger.Instance);

    private static async Task<PodWebhookServer> StartWebhookAsync(KubeRestClient client, WebhookCertificates certificates, int port = 0)
    {
        var reviewer = new PodAdmissionReviewer(new RestAdmissionCluster(client, GpuModelCatalog.Default), new PodAdmissionOptions(), NullLogger<PodAdmissionReviewer>.Instance);
        var server = new PodWebhookServer(reviewer, certificates, NullLogger.Instance);
        await server.StartAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None);
        return server;
    }

    private Task<JsonNode> CreatePodAsync(string name, Dictionary<string, string> annotations) =>
        cluster.Direct.CreateAsync<JsonNode>(Pods, Pod(name, annotations), CancellationToken.None);

    private static JsonObject Pod(string name, Dictionary<string, string> annotations, string ns = "default")
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
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [Labels.Enabled] = "true" },
                ["annotations"] = values,
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "python:3.12-slim" }) },
        };
    }
}
