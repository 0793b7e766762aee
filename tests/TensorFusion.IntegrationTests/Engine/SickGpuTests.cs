using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Host.Local;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Health;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>
/// Sick GPUs on the simulator, driven as a local-mode user does (<c>kubectl annotate gpu NAME
/// tensor-fusion.ai/simulate-fault=…</c>, applied by <see cref="LocalFaultInjector"/>): the worker on the GPU is
/// reported — condition GPUHealthy=False naming the GPU and the fault, a Warning event on its workload — and never
/// moved; nothing new lands on the GPU; removing the annotation clears the report and placements resume. Every step
/// awaits its own signal (pod or event watch), never a clock.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
[Trait("Category", "Fault")]
public sealed class SickGpuTests
{
    [Theory]
    [InlineData("xid-79", "critical Xid 79")]
    [InlineData("lost", "lost")]
    [InlineData("reset-required", "lost")]
    public async Task FaultOnWorkersGpu_WorkerReportedNotMovedAndClearedOnHeal(string fault, string faultText)
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);
        await using var injector = StartInjector(engine);
        var before = await RunOneWorkerAsync(engine, "train");
        var gpu = before.Metadata.Annotations[Annotations.GpuIds];

        await AnnotateAsync(engine, gpu, fault);

        var sick = await WaitForConditionAsync(engine, "train", "False", $"the worker shows GPUHealthy=False after {fault}");
        Assert.Equal(ConditionReasons.GpuUnhealthy, sick.Reason);
        Assert.Contains($"GPU {gpu} on node {OperatorCluster.NodeName}", sick.Message, StringComparison.Ordinal);
        Assert.Contains(faultText, sick.Message, StringComparison.Ordinal);
        var warning = await engine.WaitForEventAsync("train", EventReasons.GpuUnhealthy);
        Assert.Equal("Warning", warning.Type);
        Assert.Equal("TensorFusionWorkload", warning.InvolvedObject.Kind);
        Assert.Contains(gpu, warning.Message, StringComparison.Ordinal);
        Assert.Contains(before.Metadata.Name, warning.Message, StringComparison.Ordinal);
        AssertNotMoved(engine, before);

        await AnnotateAsync(engine, gpu, null);

        var healed = await WaitForConditionAsync(engine, "train", "True", "the worker shows GPUHealthy=True after the annotation is removed");
        Assert.Equal(ConditionReasons.GpuHealthy, healed.Reason);
        Assert.Equal("Normal", (await engine.WaitForEventAsync("train", EventReasons.GpuRecovered)).Type);
        AssertNotMoved(engine, before);

        // The same fault again after healing is news again: reported anew, with a second Warning.
        await AnnotateAsync(engine, gpu, fault);

        await WaitForConditionAsync(engine, "train", "False", $"the worker shows GPUHealthy=False again after {fault} returns");
        await WaitForEventCountAsync(engine, "train", EventReasons.GpuUnhealthy, 2);
        AssertNotMoved(engine, before);
    }

    [Fact]
    public async Task AllGpusUnhealthy_NewWorkloadUnschedulableExistingReportedNoneMovedThenHealOneResumes()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        await using var op = engine.StartOperator(out var started);
        var pipeline = await started.WaitAsync(OperatorCluster.Wait);
        await using var injector = StartInjector(engine);
        var existing = await RunOneWorkerAsync(engine, "old");
        var listed = await engine.Cluster.Direct.GetAsync<JsonNode>(ResourceDescriptor.Gpus.CollectionPath(null), CancellationToken.None);
        var gpus = listed["items"]!.AsArray().Select(gpu => gpu!["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, gpus.Length);

        foreach (var gpu in gpus)
        {
            await AnnotateAsync(engine, gpu, "xid-48");
        }

        await WaitForConditionAsync(engine, "old", "False", "the existing worker is reported on its sick GPU");
        // The new workload must meet both GPUs sick in the allocator's own inventory, or it could land on the second
        // one before that GPU's fault arrived: the existing worker's report proves only its own GPU, and the operator's
        // GPU cache runs ahead of the inventory the allocator rebuilds from it (on a loaded machine, by a status write).
        await WaitForAllocatorAsync(pipeline, state => gpus.All(gpu => state.FindGpu(gpu) is { Running: false }), "the allocator holds both GPUs out of placement");
        await engine.CreateWorkloadAsync("new", replicas: 1, tflops: "10", vram: "1Gi");
        try
        {
            await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.PendingWorkers("new") is [{ Status.Conditions: { } conditions }]
                && conditions.Any(c => c is { Type: "PodScheduled", Status: "False" }), "the new worker is reported unschedulable");
        }
        catch (Xunit.Sdk.FailException timedOut)
        {
            Assert.Fail($"{timedOut.Message}; workers of new: {Describe(engine, "new")}");
        }

        var refused = engine.PendingWorkers("new")[0].Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Unschedulable", refused.Reason);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        AssertNotMoved(engine, existing);

        // Heal the GPU the existing worker does not use: the waiting worker lands there, the existing one stays reported.
        var spare = gpus.Single(gpu => gpu != existing.Metadata.Annotations[Annotations.GpuIds]);
        await AnnotateAsync(engine, spare, null);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("new").Count == 1, "the new worker runs on the healed GPU");
        Assert.Equal(spare, engine.RunningWorkers("new")[0].Metadata.Annotations[Annotations.GpuIds]);
        Assert.Null(Condition(engine.RunningWorkers("new")[0]));
        Assert.Equal("False", Condition(engine.RunningWorkers("old")[0])?.Status);
        AssertNotMoved(engine, existing);
    }

    /// <summary>A one-worker workload (100 TFLOPs, 10 GiB: one GPU of the node), awaited until its worker runs.</summary>
    private static async Task<V1Pod> RunOneWorkerAsync(EngineCluster engine, string workload)
    {
        await engine.CreateWorkloadAsync(workload, replicas: 1, tflops: "100", vram: "10Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers(workload).Count == 1, $"the worker of {workload} runs");
        return engine.RunningWorkers(workload)[0];
    }

    /// <summary>The local-mode fault injector, watching the GPUs of the engine's agents until disposed.</summary>
    private static RunningInjector StartInjector(EngineCluster engine) =>
        RunningInjector.Start(new LocalFaultInjector(engine.Cluster.Direct, [.. engine.Agents.Values], TimeProvider.System));

    /// <summary><c>kubectl annotate gpu NAME tensor-fusion.ai/simulate-fault=VALUE</c> (null: <c>…simulate-fault-</c>).</summary>
    private static Task AnnotateAsync(EngineCluster engine, string gpu, string? fault) =>
        engine.Cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.Gpus.ObjectPath(null, gpu),
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SimulatedFault.Annotation] = fault } } }, CancellationToken.None);

    private static async Task<V1PodCondition> WaitForConditionAsync(EngineCluster engine, string workload, string status, string what)
    {
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers(workload) is [var pod] && Condition(pod)?.Status == status, what);
        return Condition(engine.RunningWorkers(workload)[0])!;
    }

    /// <summary>Awaits, on the events' watch, <paramref name="count"/> events with <paramref name="reason"/> about the workload.</summary>
    private static async Task WaitForEventCountAsync(EngineCluster engine, string workload, string reason, int count)
    {
        using var events = new Informer<Corev1Event>(engine.Cluster.Direct, ResourceDescriptor.Events, new InformerOptions(), TimeProvider.System, new Random(5));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => events.RunAsync(stop.Token));
        try
        {
            await OperatorCluster.WaitUntilAsync(events, informer => informer.List(e => e.InvolvedObject?.Name == workload && e.Reason == reason).Count >= count,
                $"{count} events {reason} about {workload}");
        }
        finally
        {
            await stop.CancelAsync();
            await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Awaits, on the allocator's inventory updates, a condition on its state.</summary>
    private static async Task WaitForAllocatorAsync(AllocationPipeline pipeline, Func<ClusterState, bool> condition, string what)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (pipeline.Read(condition))
            {
                met.TrySetResult();
            }
        }

        pipeline.InventoryApplied += Check;
        try
        {
            Check();
            await met.Task.WaitAsync(OperatorCluster.Wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {OperatorCluster.Wait.TotalSeconds:0.#} s waiting until {what}");
        }
        finally
        {
            pipeline.InventoryApplied -= Check;
        }
    }

    /// <summary>Each active worker of the workload: node, GPUs, phase and conditions (what a timed-out wait shows).</summary>
    private static string Describe(EngineCluster engine, string workload) =>
        string.Join(" | ", engine.Cluster.ActiveWorkers(workload).Select(pod => $"{pod.Metadata.Name} node={pod.Spec?.NodeName} " +
            $"gpus={pod.Metadata.Annotation(Annotations.GpuIds)} phase={pod.Status?.Phase} " +
            string.Join(";", (pod.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}:{c.Message}"))));

    private static V1PodCondition? Condition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == GpuHealthReporting.ConditionType);

    /// <summary>The same pod (uid), still Running on the same node and GPUs: reported, never moved.</summary>
    private static void AssertNotMoved(EngineCluster engine, V1Pod before)
    {
        var now = Assert.Single(engine.Cluster.ActiveWorkers(before.Metadata.Labels[Labels.Workload]));
        Assert.Equal(before.Metadata.Uid, now.Metadata.Uid);
        Assert.Equal(before.Spec.NodeName, now.Spec.NodeName);
        Assert.Equal(before.Metadata.Annotations[Annotations.GpuIds], now.Metadata.Annotations[Annotations.GpuIds]);
        Assert.Equal("Running", now.Status.Phase);
    }
}
