using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using TensorFusion.IntegrationTests.Deploy;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Local;

/// <summary>
/// The README's path, as a user walks it: `tensorfusion local` in a child process, kubectl as the only client,
/// the examples applied, workers Running on GPUs the agents report, a recommendation for the autoscaled example,
/// the local Prometheus answering every dashboard and alert query, a delete that releases everything, and a restart
/// on the same state that finds the rest as it was.
/// </summary>
[Collection("Operator")]
[Trait("Category", "EndToEnd")]
public sealed class LocalModeEndToEndTests : IDisposable
{
    private const string Wait = "--timeout=120s";
    private readonly string _state = Directory.CreateTempSubdirectory("tf-local-e2e-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Local_ExamplesAppliedWithKubectl_RunOnGpusRecommendDeleteCleanlyAndSurviveRestart()
    {
        var port = FreePort();
        Dictionary<string, (string Uid, string Gpus)> autoscaleWorkers;
        await using (var local = await LocalProcess.StartAsync(_state, port))
        {
            foreach (var example in new[] { "fixed-replicas", "autoscaling", "mig-partitioned", "local-gpu", "deployment-webhook" })
            {
                var applied = await local.KubectlAsync("apply", "-f", Path.Combine(RepositoryLayout.Root, "deploy", "examples", "local", example + ".yaml"));
                Assert.True(applied.ExitCode == 0, applied.Describe());
            }

            foreach (var workload in new[] { "fixed-demo", "autoscale-demo", "mig-demo", "local-demo" })
            {
                var ready = await local.KubectlAsync("wait", "tfw/" + workload, "--for=jsonpath={.status.phase}=Running", Wait);
                Assert.True(ready.ExitCode == 0, $"{workload}: {ready.Describe()}\n{local.Output}");
            }

            // A plain annotated Deployment (no workload written): the pod webhook made each replica a worker on a GPU.
            var available = await local.KubectlAsync("wait", "deployment/webhook-demo", "--for=condition=Available", Wait);
            Assert.True(available.ExitCode == 0, $"webhook-demo: {available.Describe()}\n{local.Output}");
            var admitted = await local.KubectlAsync("wait", "tfw/webhook-demo", "--for=jsonpath={.status.phase}=Running", Wait);
            Assert.True(admitted.ExitCode == 0, admitted.Describe());
            var webhookWorkers = Workers(await local.KubectlJsonAsync("get", "pods", "-l", "tensor-fusion.ai/workload=webhook-demo"));
            Assert.Equal(2, webhookWorkers.Count);
            Assert.All(webhookWorkers, worker => Assert.True(worker.Phase == "Running" && worker.Gpus.Length > 0, $"{worker.Name}: {worker.Phase}, GPUs '{worker.Gpus}'"));

            // Workers: Running, each with its GPUs recorded on the pod; the GPUs show the allocation.
            var fixedWorkers = Workers(await local.KubectlJsonAsync("get", "pods", "-l", "tensor-fusion.ai/workload=fixed-demo"));
            Assert.Equal(3, fixedWorkers.Count);
            Assert.All(fixedWorkers, worker => Assert.Equal("Running", worker.Phase));
            var fixedGpus = fixedWorkers.SelectMany(worker => worker.Gpus.Split(',')).ToHashSet(StringComparer.Ordinal);
            var gpus = (await local.KubectlJsonAsync("get", "gpus"))["items"]!.AsArray().Select(gpu => gpu!.AsObject()).ToList();
            Assert.Equal(16, gpus.Count); // 2 simulated nodes × 8 H100
            Assert.All(gpus.Where(gpu => fixedGpus.Contains((string)gpu["metadata"]!["name"]!)), gpu =>
                Assert.Contains(gpu["status"]!["runningApps"]!.AsArray(), app => (string?)app!["name"] == "fixed-demo"));

            // DRA: each worker's claim is allocated to exactly its GPUs and reserved for it (the simulated kubelet then
            // prepared it with the node agent's plugin: the worker would not be Running otherwise).
            var claims = await ClaimsAsync(local);
            Assert.All(fixedWorkers, worker => Assert.Equal((worker.Gpus, worker.Uid), claims[worker.Name + "-gpu"]));

            // Agents: every fixed-demo worker has its limit series on its node's agent.
            var agentMetrics = string.Concat(await Task.WhenAll(local.Endpoints["agents"]!.AsArray().Select(agent => local.AgentMetricsAsync((string)agent!["node"]!, (string)agent["metrics"]!))));
            Assert.All(fixedWorkers, worker => Assert.Contains($"worker=\"{worker.Name}\"", agentMetrics, StringComparison.Ordinal));
            Assert.Contains("tensorfusion_worker_tflops_limit", agentMetrics, StringComparison.Ordinal);

            // Autoscaling: the example's short intervals and simulated load give a recommendation within two minutes.
            var recommended = await local.KubectlAsync("wait", "tfw/autoscale-demo", "--for=jsonpath={.status.recommendation.requests.tflops}", Wait);
            Assert.True(recommended.ExitCode == 0, $"no recommendation: {recommended.Describe()}");
            var status = (await local.KubectlJsonAsync("get", "tfw", "autoscale-demo"))["status"]!;
            Assert.Contains(status["conditions"]!.AsArray(), condition => (string?)condition!["type"] == "ResourceUpdate");

            await LocalPrometheusChecks.RunAsync(local);

            // Delete: workers go, and no GPU still lists the workload.
            var deleted = await local.KubectlAsync("delete", "-f", Path.Combine(RepositoryLayout.Root, "deploy", "examples", "local", "fixed-replicas.yaml"), "--wait=true", Wait);
            Assert.True(deleted.ExitCode == 0, deleted.Describe());
            var gone = await local.KubectlAsync("wait", "pods", "-l", "tensor-fusion.ai/workload=fixed-demo", "--for=delete", Wait);
            Assert.True(gone.ExitCode == 0, gone.Describe());
            await WaitForGpusWithoutAsync(local, "fixed-demo");

            autoscaleWorkers = Workers(await local.KubectlJsonAsync("get", "pods", "-l", "tensor-fusion.ai/workload=autoscale-demo"))
                .ToDictionary(worker => worker.Name, worker => (worker.Uid, worker.Gpus), StringComparer.Ordinal);
            Assert.Equal(0, await local.StopAsync()); // SIGTERM: a clean stop
        }

        // Restart on the same state: the remaining workloads run on with the same workers and the same GPUs.
        await using (var again = await LocalProcess.StartAsync(_state, port))
        {
            var ready = await again.KubectlAsync("wait", "tfw/autoscale-demo", "--for=jsonpath={.status.phase}=Running", Wait);
            Assert.True(ready.ExitCode == 0, ready.Describe());
            var workers = Workers(await again.KubectlJsonAsync("get", "pods", "-l", "tensor-fusion.ai/workload=autoscale-demo"))
                .ToDictionary(worker => worker.Name, worker => (worker.Uid, worker.Gpus), StringComparer.Ordinal);
            Assert.Equal(autoscaleWorkers, workers);
            var claimsAfter = await ClaimsAsync(again);
            Assert.All(workers, worker => Assert.Equal((worker.Value.Gpus, worker.Value.Uid), claimsAfter[worker.Key + "-gpu"]));
            var fixedAfter = await again.KubectlAsync("get", "tfw", "fixed-demo");
            Assert.NotEqual(0, fixedAfter.ExitCode); // still deleted
            Assert.Equal(0, await again.StopAsync());
        }
    }

    /// <summary>Each ResourceClaim as (its devices joined by commas, the uid it is reserved for).</summary>
    private static async Task<Dictionary<string, (string Devices, string Uid)>> ClaimsAsync(LocalProcess local) =>
        (await local.KubectlJsonAsync("get", "resourceclaims"))["items"]!.AsArray().Select(claim => claim!.AsObject()).ToDictionary(
            claim => (string)claim["metadata"]!["name"]!,
            claim => (string.Join(',', claim["status"]!["allocation"]!["devices"]!["results"]!.AsArray().Select(result => (string)result!["device"]!)),
                (string)claim["status"]!["reservedFor"]![0]!["uid"]!),
            StringComparer.Ordinal);

    private static async Task WaitForGpusWithoutAsync(LocalProcess local, string workload)
    {
        // kubectl wait cannot express "no item of a list mentions X": watch the GPUs through an informer instead.
        using var kubernetes = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(local.Kubeconfig));
        var gpus = new Informer<TensorFusion.Api.Gpus.Gpu>(KubeRestClient.FromKubernetes(kubernetes), ResourceDescriptor.Gpus, new InformerOptions(), TimeProvider.System, new Random(5));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => gpus.RunAsync(stop.Token));
        try
        {
            await gpus.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            await Operator.OperatorCluster.WaitUntilAsync(gpus, informer => informer.List(gpu => gpu.Status?.RunningApps?.Any(app => app.Name == workload) == true).Count == 0,
                $"no GPU lists {workload}");
        }
        finally
        {
            await stop.CancelAsync();
            await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private static List<(string Name, string Uid, string Phase, string Gpus)> Workers(JsonObject pods) =>
        [.. pods["items"]!.AsArray().Select(pod => (
            (string)pod!["metadata"]!["name"]!,
            (string)pod["metadata"]!["uid"]!,
            (string?)pod["status"]?["phase"] ?? "",
            (string?)pod["metadata"]!["annotations"]?["tensor-fusion.ai/gpu-ids"] ?? ""))];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
