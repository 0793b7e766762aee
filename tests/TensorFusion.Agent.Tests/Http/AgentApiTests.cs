using System.Net;
using System.Net.Http.Json;
using System.Text;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Health;
using TensorFusion.Agent.Http;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.Http;

public sealed class AgentApiTests
{
    [Fact]
    public async Task Healthz_WithoutToken_Ok()
    {
        await using var harness = await AgentHarness.StartAsync();
        using var anonymous = new HttpClient(Tls.TestServingCertificates.Handler()) { BaseAddress = harness.Agent.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-0123456789")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task PutPlan_WithoutValidToken_Unauthorized(string? authorization)
    {
        await using var harness = await AgentHarness.StartAsync();
        using var client = new HttpClient(Tls.TestServingCertificates.Handler()) { BaseAddress = harness.Agent.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Put, "api/v1/plan") { Content = JsonContent.Create(Plan(1, Fractional("w")), options: PlanJson.Options) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(harness.Node.Device.ListLimitedWorkers());
    }

    [Fact]
    public async Task PutPlan_PushedTwiceThenOlder_AppliedNoopConflict()
    {
        await using var harness = await AgentHarness.StartAsync();
        var plan = Plan(2, Partitioned("w-mig", 9, 4), Fractional("w-frac", gpu: 1));

        var first = await harness.PushAsync(plan);
        var again = await harness.PushAsync(plan);
        var older = await harness.PushAsync(Plan(1, Fractional("w-old")));

        Assert.Equal((200, PlanApplyResult.Applied), (first.Code, first.Status!.Result));
        Assert.Equal((200, PlanApplyResult.Noop), (again.Code, again.Status!.Result));
        Assert.Equal((409, PlanApplyResult.Refused), (older.Code, older.Status!.Result));
        Assert.Equal(2, older.Status.ObservedGeneration);
        var status = await harness.Client.GetFromJsonAsync<NodePlanStatus>("api/v1/plan", PlanJson.Options);
        Assert.Equal(2, status!.ObservedGeneration);
    }

    [Fact]
    public async Task PutPlan_MalformedJson_BadRequestNamingThePath()
    {
        await using var harness = await AgentHarness.StartAsync();
        using var content = new StringContent("""{"nodeName":"node-a","generation":1,"allocations":[{"isolation":"sideways"}]}""", Encoding.UTF8, "application/json");

        using var response = await harness.Client.PutAsync(new Uri("api/v1/plan", UriKind.Relative), content);
        var error = await response.Content.ReadFromJsonAsync<ApiError>(PlanJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.allocations[0].isolation", error!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutPlan_WrongNode_BadRequestWithDetails()
    {
        await using var harness = await AgentHarness.StartAsync();

        using var response = await harness.Client.PutAsJsonAsync("api/v1/plan", new NodePlan("node-b", 1, []), PlanJson.Options);
        var error = await response.Content.ReadFromJsonAsync<ApiError>(PlanJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error!.Details, d => d.StartsWith("nodeName:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Devices_GpuLost_ReportedUnhealthy()
    {
        await using var harness = await AgentHarness.StartAsync();
        await harness.Client.GetAsync(new Uri("api/v1/devices", UriKind.Relative)); // first sighting of both GPUs

        harness.Node.Device.InjectFault(1, Gpu.Devices.DeviceHealth.Lost);
        var devices = await harness.Client.GetFromJsonAsync<GpuHealthState[]>("api/v1/devices", PlanJson.Options);

        Assert.NotNull(devices);
        Assert.Equal([true, false], devices.Select(d => d.Healthy));
        Assert.False(devices[1].Present);
        Assert.Contains("lost", devices[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileLoop_PendingPartitionFreed_AppliedOnNextTick()
    {
        await using var harness = await AgentHarness.StartAsync();
        await harness.PushAsync(Plan(1, Partitioned("old", 9, 0)));
        var busy = harness.Node.Device.ListMigInstances(0).Single();
        harness.Node.Device.StartProcess(77, 0, busy.GpuInstanceId, "team_old", Gpu.Devices.LoadModel.Constant(0.4, 0));
        var pending = await harness.PushAsync(Plan(2, Partitioned("new", 14, 0)));
        Assert.Equal(AllocationState.Pending, pending.Status!.Allocations.Single().State);

        harness.Node.Device.StopProcess(77);
        var applied = new TaskCompletionSource<NodePlanStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Agent.Reconciled += (_, status) =>
        {
            if (status.Allocations.All(a => a.State == AllocationState.Applied))
            {
                applied.TrySetResult(status);
            }
        };
        harness.Time.Advance(TimeSpan.FromSeconds(10));

        var status = await applied.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, status.ObservedGeneration);
        Assert.Equal([(GpuUuid(0), 14, 0)], harness.Node.Partitions());
    }

    [Fact]
    public async Task StartAsync_TwoAgentsInOneProcess_SeparatePortsAndRegistries()
    {
        await using var a = await AgentHarness.StartAsync();
        await using var b = await AgentHarness.StartAsync();

        await a.PushAsync(Plan(3, Fractional("only-on-a")));

        Assert.NotEqual(a.Agent.BaseAddress.Port, b.Agent.BaseAddress.Port);
        Assert.NotSame(a.Agent.Metrics.Registry, b.Agent.Metrics.Registry);
        Assert.Equal(0, b.Agent.Applier.Status.ObservedGeneration);
    }

    [Fact]
    public async Task StartAsync_AfterRestart_RecoversCheckpointedPlan()
    {
        var node = Create();
        var first = await AgentHarness.StartAsync(node);
        await first.PushAsync(Plan(9, Partitioned("w", 9, 0)));
        await first.Agent.DisposeAsync();

        await using var second = await NodeAgent.StartAsync(AgentHarness.Options(node, TimeProvider.System), CancellationToken.None);

        Assert.True(second.Recovery.HadCheckpoint);
        Assert.Equal(9, second.Applier.Status.ObservedGeneration);
        first.Client.Dispose();
        node.Dispose();
    }
}
