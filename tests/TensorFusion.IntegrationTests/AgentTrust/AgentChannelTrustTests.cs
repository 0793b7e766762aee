using System.Net;
using System.Net.Sockets;
using TensorFusion.Agent;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.Tls;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.AgentTrust;

namespace TensorFusion.IntegrationTests.AgentTrust;

/// <summary>
/// Plan pushes from the operator's plan client to real agents over TLS: only an agent whose certificate from the
/// operator's CA names the plan's node gets the plan (and the bearer token).
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgentChannelTrustTests : IDisposable
{
    private const string Token = "channel-test-token-0123456789";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tf-channel-" + Guid.NewGuid().ToString("N"));
    private readonly AgentCertificateAuthority _authority = AgentCertificateAuthority.InMemory(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Push_AgentCertificateNamesTheNode_Applied()
    {
        await using var agent = await StartAgentAsync("node-a", TestAgentCertificates.Source(_authority, "node-a"));
        var (client, trust, http) = PlanClient(agent.BaseAddress);
        using (http)
        {
            var result = await client.PushAsync(new NodePlan("node-a", 1, []), CancellationToken.None);

            Assert.True(result.Acknowledged, result.Error);
            Assert.Equal(1, agent.Applier.Status.ObservedGeneration);
            Assert.Equal(0, trust.Refusals);
        }
    }

    [Fact]
    public async Task Push_AgentCertificateNamesAnotherNode_RefusedCountedAndNothingApplied()
    {
        // The agent at this address holds node-b's certificate: a node that pointed node-a's pushes at itself.
        await using var agent = await StartAgentAsync("node-b", TestAgentCertificates.Source(_authority, "node-b"));
        var (client, trust, http) = PlanClient(agent.BaseAddress);
        using (http)
        {
            var result = await client.PushAsync(new NodePlan("node-a", 1, []), CancellationToken.None);

            Assert.False(result.Acknowledged);
            Assert.Contains("agent node-a: refused its TLS identity", result.Error, StringComparison.Ordinal);
            Assert.Contains("names another agent (CN=system:tensor-fusion-agent:node-b", result.Error, StringComparison.Ordinal);
            Assert.Equal(1, trust.Refusals);
            Assert.Equal(0, agent.Applier.Status.ObservedGeneration);
        }
    }

    [Fact]
    public async Task Push_CertificateFromAnotherCa_RefusedAsUntrusted()
    {
        using var stranger = AgentCertificateAuthority.InMemory(DateTimeOffset.UtcNow);
        await using var agent = await StartAgentAsync("node-a", TestAgentCertificates.Source(stranger, "node-a"));
        var (client, trust, http) = PlanClient(agent.BaseAddress);
        using (http)
        {
            var result = await client.PushAsync(new NodePlan("node-a", 1, []), CancellationToken.None);

            Assert.False(result.Acknowledged);
            Assert.Contains("is not issued by the operator's agent CA", result.Error, StringComparison.Ordinal);
            Assert.Equal(1, trust.Refusals);
            Assert.Equal(0, agent.Applier.Status.ObservedGeneration);
        }
    }

    [Fact]
    public async Task Push_PlainHttpAddress_RefusedBeforeAnythingIsSent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var (client, _, http) = PlanClient(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"));
        using (http)
        {
            var result = await client.PushAsync(new NodePlan("node-a", 1, []), CancellationToken.None);

            Assert.False(result.Acknowledged);
            Assert.Contains("is not https; plans and the bearer token go to agents over TLS only", result.Error, StringComparison.Ordinal);
            Assert.False(listener.Pending(), "nothing may connect to a plain-HTTP address");
        }
    }

    public void Dispose()
    {
        _authority.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private (AgentPlanClient Client, AgentChannelTrust Trust, HttpClient Http) PlanClient(Uri address)
    {
        var trust = new AgentChannelTrust(_authority.TrustAnchor);
        var http = new HttpClient(trust.CreateHandler());
        return (new AgentPlanClient(http, _ => address, () => Token, TimeSpan.FromSeconds(10), trust), trust, http);
    }

    private Task<NodeAgent> StartAgentAsync(string node, IServingCertificateSource certificate) => NodeAgent.StartAsync(new AgentOptions
    {
        NodeName = node,
        StateDirectory = Path.Combine(_directory, node),
        TokenChecker = new SharedSecretTokenChecker(Token),
        ServingCertificate = certificate,
        Simulator = new SimulatorOptions("H100-80GB", 1, $"GPU-{node}-"),
    }, CancellationToken.None);
}
