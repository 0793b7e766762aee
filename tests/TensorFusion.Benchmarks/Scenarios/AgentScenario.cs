using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TensorFusion.Agent.Tls;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.AgentTrust;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent;
using TensorFusion.Agent.Applying;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.Checkpoint;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// One node agent over a simulated 8 × A100-80GB node, driven through its HTTP API: plan pushes that change
/// partitions and limits (64 workers), no-op re-pushes, metrics scrapes with 64 worker series, raw device-metric
/// reads through P/Invoke, and crash recovery of a 64-worker node.
/// </summary>
public sealed class AgentScenario : IScenario
{
    private const string Token = "benchmark-secret-0123456789";
    private const int Gpus = 8;
    private const int Pushes = 100;

    public string Name => "agent";

    public string Description => "node agent: plan push/noop latency, metrics scrape, native reads, recovery";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var state = Directory.CreateTempSubdirectory("tf-bench-agent-").FullName;
        try
        {
            using var device = NativeAcceleratorDevice.OpenSimulator(new SimulatorOptions("A100-80GB", Gpus, "GPU-bench", 1), Path.Combine(state, "limits"));
            var figures = new Dictionary<string, double>();
            // TLS as the operator speaks it: a certificate from an agent CA naming the node, the node as server name.
            using var authority = AgentCertificateAuthority.InMemory(DateTimeOffset.UtcNow);
            await using (var agent = await NodeAgent.StartAsync(new AgentOptions
            {
                NodeName = "bench", StateDirectory = state, TokenChecker = new SharedSecretTokenChecker(Token), Device = device,
                ServingCertificate = new StaticServingCertificate(ServingCertificate(authority, "bench")),
                ReconcileInterval = TimeSpan.FromHours(1), HeartbeatInterval = TimeSpan.FromHours(1),
            }, cancellationToken))
            {
                using var client = new HttpClient(new AgentChannelTrust(authority.TrustAnchor).CreateHandler()) { BaseAddress = agent.BaseAddress };
                client.DefaultRequestHeaders.Host = "bench";
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
                for (var pid = 1; pid <= 64; pid++)
                {
                    device.StartProcess(pid, (pid - 1) % 4 + 4, null, $"bench_w{pid - 1}", LoadModel.Constant(0.01, 1L << 28));
                }

                var applied = new List<double>();
                var noop = new List<double>();
                for (var generation = 1; generation <= Pushes; generation++)
                {
                    var plan = Plan(generation);
                    applied.Add(await TimeAsync(() => PushAsync(client, plan, cancellationToken)));
                    noop.Add(await TimeAsync(() => PushAsync(client, plan, cancellationToken)));
                }

                var scrapes = new List<double>();
                for (var i = 0; i < 50; i++)
                {
                    scrapes.Add(await TimeAsync(() => client.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken)));
                }

                figures["push_applied_p50_ms"] = Percentile(applied, 0.5);
                figures["push_applied_p99_ms"] = Percentile(applied, 0.99);
                figures["push_noop_p50_ms"] = Percentile(noop, 0.5);
                figures["metrics_scrape_p50_ms"] = Percentile(scrapes, 0.5);
            }

            var reads = Stopwatch.StartNew();
            var count = 0;
            while (reads.ElapsedMilliseconds < 500)
            {
                device.GetMetrics(count++ % Gpus);
            }

            figures["native_device_metrics_per_second"] = count / reads.Elapsed.TotalSeconds;
            var recovery = Stopwatch.StartNew();
            var report = new NodePlanApplier(device, new AgentCheckpointStore(Path.Combine(state, "checkpoint.json")), "bench",
                BootId.Read(BootId.DefaultPath), d => d.MaxTflops).Recover();
            figures["recovery_ms"] = recovery.Elapsed.TotalMilliseconds;
            figures["recovered_checkpoint"] = report.HadCheckpoint ? 1 : 0;
            return figures;
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>64 workers: 32 fractional on GPUs 4-7 whose shares change every generation, and 32 MIG partitions on
    /// GPUs 0-3 (1g ×7 + 2g on even generations, 3g ×2 + 1g on odd ones) so every push re-partitions.</summary>
    private static NodePlan Plan(int generation)
    {
        var allocations = new List<PlannedAllocation>();
        for (var w = 0; w < 64; w++)
        {
            var gpu = w % 4 + 4;
            var tflops = 10 + (generation + w) % 20;
            allocations.Add(new PlannedAllocation("bench", "load", $"w{w}", IsolationMode.Soft,
                [new PlannedDeviceShare($"GPU-bench-{gpu}", tflops, tflops * 2, 1L << 30, 2L << 30)]));
        }

        (int Profile, int Start)[] layout = generation % 2 == 0
            ? [(19, 0), (19, 1), (19, 2), (19, 3), (14, 4), (19, 6)]
            : [(9, 0), (9, 4)];
        for (var gpu = 0; gpu < 4; gpu++)
        {
            for (var p = 0; p < layout.Length; p++)
            {
                allocations.Add(new PlannedAllocation("bench", "mig", $"m{gpu}-{p}-{generation % 2}", IsolationMode.Partitioned,
                    [new PlannedDeviceShare($"GPU-bench-{gpu}", 0, 0, 0, 0, new PlannedPartition(layout[p].Profile, layout[p].Start))]));
            }
        }

        return new NodePlan("bench", generation, allocations);
    }

    private static X509Certificate2 ServingCertificate(AgentCertificateAuthority authority, string node)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = X509Certificate2.CreateFromPem(authority.Issue(new PublicKey(key), node, DateTimeOffset.UtcNow, TimeSpan.FromDays(1)));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static async Task PushAsync(HttpClient client, NodePlan plan, CancellationToken cancellationToken)
    {
        using var response = await client.PutAsJsonAsync("api/v1/plan", plan, PlanJson.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
    }
}
