using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Auth;

namespace TensorFusion.Agent.Tests.Http;

/// <summary>A running agent on an ephemeral loopback port over an <see cref="AgentTestNode"/>, with an HTTP client.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public const string Token = "local-secret-0123456789";

    private AgentHarness(AgentTestNode node, NodeAgent agent, FakeTimeProvider time)
    {
        Node = node;
        Agent = agent;
        Time = time;
        Client = new HttpClient(Tls.TestServingCertificates.Handler()) { BaseAddress = agent.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public AgentTestNode Node { get; }
    public NodeAgent Agent { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Client { get; }

    /// <param name="node">The simulated node (a fresh one when null).</param>
    /// <param name="configure">Changes to the harness's options (e.g. a metrics authorizer).</param>
    public static async Task<AgentHarness> StartAsync(AgentTestNode? node = null, Func<AgentOptions, AgentOptions>? configure = null)
    {
        node ??= AgentTestNode.Create();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        var options = Options(node, time);
        var agent = await NodeAgent.StartAsync(configure is null ? options : configure(options), CancellationToken.None);
        return new AgentHarness(node, agent, time);
    }

    public static AgentOptions Options(AgentTestNode node, TimeProvider time) => new()
    {
        NodeName = AgentTestNode.NodeName,
        StateDirectory = node.StateDirectory,
        TokenChecker = new SharedSecretTokenChecker(Token),
        ServingCertificate = Tls.TestServingCertificates.For(AgentTestNode.NodeName),
        Device = node.Device,
        BootIdPath = node.BootIdPath,
        TimeProvider = time,
        ReconcileInterval = TimeSpan.FromSeconds(10),
        HeartbeatInterval = TimeSpan.FromSeconds(30),
    };

    public async Task<(int Code, NodePlanStatus? Status)> PushAsync(NodePlan plan)
    {
        using var response = await Client.PutAsJsonAsync("api/v1/plan", plan, PlanJson.Options);
        var status = response.IsSuccessStatusCode || (int)response.StatusCode == 409
            ? await response.Content.ReadFromJsonAsync<NodePlanStatus>(PlanJson.Options)
            : null;
        return ((int)response.StatusCode, status);
    }

    /// <summary>Advances the fake clock by one limiter interval and waits for the agent's limiter loop to tick.</summary>
    public async Task<IReadOnlyList<TensorFusion.Agent.Limiting.LimiterReading>> NextLimiterTickAsync()
    {
        var ticked = new TaskCompletionSource<IReadOnlyList<TensorFusion.Agent.Limiting.LimiterReading>>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnTick(object? sender, IReadOnlyList<TensorFusion.Agent.Limiting.LimiterReading> readings) => ticked.TrySetResult(readings);
        Agent.LimiterTicked += OnTick;
        try
        {
            Time.Advance(TimeSpan.FromMilliseconds(250));
            var finished = await Task.WhenAny(ticked.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            return finished == ticked.Task ? await ticked.Task
                : throw new TimeoutException("the limiter loop did not tick within 30 s of a 250 ms clock advance");
        }
        finally
        {
            Agent.LimiterTicked -= OnTick;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Agent.DisposeAsync();
        Node.Dispose();
    }
}
