using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.DeviceDelivery.Cdi;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The delivery core over a simulated node: prepare is idempotent, the record survives a restart, specs
/// follow the plan, and partitioned workers get their MIG instance.</summary>
public sealed class WorkerDeliveryTests : IDisposable
{
    private readonly DeliveryTestNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task PrepareClaimAsync_Twice_OneSpecOneRecordSameDevices()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0")));
        var delivery = _node.NewDelivery();

        var (first, owner) = await delivery.PrepareClaimAsync("team", "train-0-gpu", "uid-1", CancellationToken.None);
        var (second, _) = await delivery.PrepareClaimAsync("team", "train-0-gpu", "uid-1", CancellationToken.None);

        Assert.Equal(["nvidia.com/gpu=node-a-gpu-0", "tensor-fusion.ai/worker=team_train-0"], first.CdiDeviceIds());
        Assert.Equal(first.CdiDeviceIds(), second.CdiDeviceIds());
        Assert.Equal("train-0", owner.Worker);
        Assert.Equal(["team_train-0"], delivery.Specs.WorkerKeys());
        Assert.Single(delivery.State.Claims);
        Assert.Single(delivery.State.Workers);
        Assert.Empty(CdiSpecRules.Problems(System.Text.Json.JsonSerializer.Deserialize<CdiSpec>(File.ReadAllText(_node.SpecPath("team_train-0")))!));
    }

    [Fact]
    public async Task UnprepareClaim_AfterRestart_RemovesSpecAndRecord()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0")));
        await _node.NewDelivery().PrepareClaimAsync("team", "train-0-gpu", "uid-1", CancellationToken.None);

        var restarted = _node.NewDelivery();
        var known = restarted.UnprepareClaim("uid-1");
        var again = restarted.UnprepareClaim("uid-1");

        Assert.True(known);
        Assert.False(again); // the kubelet may repeat the call: nothing left to do, no error
        Assert.False(File.Exists(_node.SpecPath("team_train-0")));
        Assert.Empty(_node.NewDelivery().State.Claims);
    }

    [Fact]
    public async Task Reconcile_WorkerLeftPlan_RemovesItsSpecKeepsOthers()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0"), Fractional("train-1", gpu: 1)));
        var delivery = _node.NewDelivery();
        await delivery.DeliverWorkerAsync("team", "train-0", CancellationToken.None);
        await delivery.DeliverWorkerAsync("team", "train-1", CancellationToken.None);

        _node.Applier.Apply(Plan(2, Fractional("train-1", gpu: 1)));
        delivery.Reconcile();

        Assert.Equal(["team_train-1"], delivery.Specs.WorkerKeys());
        Assert.Equal(["train-1"], delivery.State.Workers.Select(w => w.Worker));
    }

    [Fact]
    public async Task Reconcile_SpecsWipedByReboot_RebuildsThemAndDropsStrangers()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0")));
        await _node.NewDelivery().DeliverWorkerAsync("team", "train-0", CancellationToken.None);
        var written = File.ReadAllText(_node.SpecPath("team_train-0"));
        File.Delete(_node.SpecPath("team_train-0")); // /var/run/cdi is a tmpfs: a reboot empties it
        File.WriteAllText(_node.SpecPath("team_ghost"), "{}");

        var restarted = _node.NewDelivery();
        restarted.Reconcile();

        Assert.Equal(written, File.ReadAllText(_node.SpecPath("team_train-0")));
        Assert.False(File.Exists(_node.SpecPath("team_ghost")));
    }

    [Fact]
    public async Task DeliverWorkerAsync_PartitionedWorker_GetsItsMigInstanceAndNoLimiter()
    {
        _node.Applier.Apply(Plan(1, Partitioned("infer-0", profileId: 9, start: 4)));
        var mig = _node.Node.Device.ListMigInstances(0).Single();

        var edits = await _node.NewDelivery().DeliverWorkerAsync("team", "infer-0", CancellationToken.None);

        Assert.Equal([$"nvidia.com/gpu={mig.Uuid}", "tensor-fusion.ai/worker=team_infer-0"], edits.CdiDeviceIds());
        Assert.StartsWith("MIG-", mig.Uuid, StringComparison.Ordinal);
        Assert.Empty(edits.Mounts);
    }

    [Fact]
    public async Task DeliverWorkerAsync_SoftWorker_MountsLimiterPreloadAndRegion()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0")));

        var edits = await _node.NewDelivery().DeliverWorkerAsync("team", "train-0", CancellationToken.None);

        Assert.Equal(
            [
                (Path.Combine(_node.Paths.LimiterDirectory, "libtfshim.so"), "/usr/local/tensor-fusion/lib/libtfshim.so", true),
                (Path.Combine(_node.Paths.LimiterDirectory, "ld.so.preload"), "/etc/ld.so.preload", true),
                (Path.Combine(_node.Node.LimitsDirectory, "team_train-0.region"), "/run/tensor-fusion/region", false),
            ],
            edits.Mounts.Select(m => (m.HostPath, m.ContainerPath, m.ReadOnly)));
        Assert.Contains(new KeyValuePair<string, string>("TF_SHIM_STATE", "/run/tensor-fusion/region"), edits.Env);
    }

    [Fact]
    public async Task DeliverWorkerAsync_KillSwitch_LeavesLimiterOut()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0")));

        var edits = await _node.NewDelivery(new LimiterOffResolver()).DeliverWorkerAsync("team", "train-0", CancellationToken.None);

        Assert.Empty(edits.Mounts);
        Assert.Equal([new KeyValuePair<string, string>("TENSOR_FUSION_WORKER", "team/train-0")], edits.Env);
        Assert.True(_node.NewDelivery().State.Workers.Single().LimiterDisabled);
    }

    [Fact]
    public async Task PrepareClaimAsync_WorkerNotPlanned_FailsNamingWorkerAndWritesNothing()
    {
        _node.Applier.Apply(Plan(3, Fractional("train-0")));
        var delivery = _node.NewDelivery();

        var error = await Assert.ThrowsAsync<DeliveryException>(() => delivery.PrepareClaimAsync("team", "other-gpu", "uid-9", CancellationToken.None));

        Assert.Equal("worker team/other is not in this node's plan (generation 3) yet", error.Message);
        Assert.Empty(delivery.Specs.WorkerKeys());
        Assert.Empty(delivery.State.Claims);
    }

    [Fact]
    public async Task PrepareClaimAsync_NameOutsideConvention_FailsNamingTheConvention()
    {
        var delivery = _node.NewDelivery();

        var error = await Assert.ThrowsAsync<DeliveryException>(() => delivery.PrepareClaimAsync("team", "mystery", "uid-9", CancellationToken.None));

        Assert.Contains("claim team/mystery (uid-9) names no worker", error.Message, StringComparison.Ordinal);
    }

    private sealed class LimiterOffResolver : IWorkerResolver
    {
        public Task<ClaimOwner?> ResolveClaimAsync(string claimNamespace, string name, string uid, CancellationToken cancellationToken) =>
            new ClaimNaming().ResolveClaimAsync(claimNamespace, name, uid, cancellationToken);

        public Task<bool> IsLimiterDisabledAsync(string workerNamespace, string worker, CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
