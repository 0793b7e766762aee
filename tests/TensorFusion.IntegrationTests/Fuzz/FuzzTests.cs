using System.Globalization;
using System.Text.Json.Nodes;
using TensorFusion.IntegrationTests.Engine;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Kube;
using Xunit.Abstractions;

namespace TensorFusion.IntegrationTests.Fuzz;

/// <summary>
/// Schema-valid, value-hostile objects against the embedded control plane with the operator running (issue 14): every
/// canary runs, every stored bad workload gets a status, the operator never stops, no GPU is over-committed.
/// TF_FUZZ_OBJECTS and TF_FUZZ_SEEDS make a longer run (e.g. 5000 objects, seeds 1-20).
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task HostileObjects_OperatorRunning_CanariesRunAndEveryBadObjectAnswered(int seed)
    {
        var objects = int.TryParse(Environment.GetEnvironmentVariable("TF_FUZZ_OBJECTS"), CultureInfo.InvariantCulture, out var n) ? n : 60;
        try
        {
            var outcome = await RunAsync(seed, objects);
            output.WriteLine($"seed {seed}: {outcome}");
            Assert.Equal(0, outcome.Lost);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"fuzz seed {seed} ({objects} objects) failed: {failure.Message}");
        }
    }

    private static async Task<FuzzOutcome> RunAsync(int seed, int objects)
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        await engine.AddGpuNodeAsync("sim-node-2", model: "L4", gpus: 2);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);
        var campaign = new FuzzCampaign(engine, seed, objects, canaryEvery: 10, maxReplicas: 100);

        await campaign.ApplyAsync();

        var cluster = engine.Cluster;
        await OperatorCluster.WaitUntilAsync(cluster.Workloads, informer => campaign.Canaries.All(name =>
            informer.Get(OperatorCluster.Namespace, name)?.Status?.Phase == Api.Workloads.WorkloadPhase.Running), "every canary workload is Running");
        try
        {
            await OperatorCluster.WaitUntilAsync(cluster.Workloads, informer => campaign.StoredWorkloads.All(name =>
                informer.Get(FuzzCampaign.Namespace, name) is { } workload && FuzzObjects.Handled(workload)), "every stored fuzz workload has a status");
        }
        catch (Xunit.Sdk.FailException timedOut)
        {
            // Name the lost ones with their stored spec, so the failure says which hostile value the operator did not answer.
            var lost = campaign.StoredWorkloads.Where(name => cluster.Workloads.Get(FuzzCampaign.Namespace, name) is not { } workload || !FuzzObjects.Handled(workload)).ToList();
            var examples = new List<string>();
            foreach (var name in lost.Take(4))
            {
                var stored = await cluster.Direct.GetAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(FuzzCampaign.Namespace, name), CancellationToken.None);
                var cached = cluster.Workloads.Get(FuzzCampaign.Namespace, name) is null ? " (not in the informer's cache)" : string.Empty;
                examples.Add($"{name}{cached}: {stored["spec"]?.ToJsonString()}");
            }

            Assert.Fail($"{timedOut.Message}: {lost.Count} of {campaign.StoredWorkloads.Count} lost, e.g. {string.Join(" | ", examples)}");
        }

        Assert.False(op.Run.IsCompleted, $"the operator stopped: {op.Run.Exception?.GetBaseException().Message}");
        await AssertNoGpuOvercommittedAsync(cluster.Direct);
        var quarantined = campaign.StoredWorkloads.Count(name => FuzzObjects.Quarantined(cluster.Workloads.Get(FuzzCampaign.Namespace, name)!));
        return new FuzzOutcome(campaign.Tried, campaign.Rejected, quarantined, Lost: 0, campaign.Canaries.Count);
    }

    /// <summary>Every GPU's available TFLOPs and VRAM, as the allocator wrote them, are at least zero.</summary>
    private static async Task AssertNoGpuOvercommittedAsync(KubeRestClient direct)
    {
        var gpus = await direct.GetAsync<JsonNode>(ResourceDescriptor.Gpus.CollectionPath(), CancellationToken.None);
        foreach (var gpu in gpus["items"]!.AsArray())
        {
            var available = gpu!["status"]?["available"];
            foreach (var field in new[] { "tflops", "vram" })
            {
                var value = available?[field]?.ToString() ?? "0";
                Assert.False(value.StartsWith('-'), $"GPU {gpu["metadata"]!["name"]} is over-committed: available {field} {value}");
            }
        }
    }
}
