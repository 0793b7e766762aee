namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// How the operator reaches node agents: a factory that, given the operator's address book (node → agent base URI),
/// makes the plan client. The host builds the HTTP client; tests may hand in a fake.
/// </summary>
public sealed record AgentAccess(Func<Func<string, Uri?>, INodePlanClient> CreateClient)
{
    /// <summary>
    /// Plans over TLS to the agent whose certificate names the node (<see cref="AgentChannelTrust"/>), with a bearer token
    /// read for every push (so a rotated token file is picked up). <paramref name="http"/> must use
    /// <see cref="AgentChannelTrust.CreateHandler"/>.
    /// </summary>
    public static AgentAccess OverTls(HttpClient http, AgentChannelTrust trust, Func<string?> bearerToken, TimeSpan timeout) =>
        new(addresses => new AgentPlanClient(http, addresses, bearerToken, timeout, trust));

    /// <summary>Every plan goes to <paramref name="client"/>, whatever the node's address.</summary>
    public static AgentAccess Fixed(INodePlanClient client) => new(_ => client);
}
