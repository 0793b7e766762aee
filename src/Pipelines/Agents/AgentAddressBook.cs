using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Nodes;

namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// Finds each node's agent (docs/adr/0004-agent-addressing.md) only from what the API server vouches for: the Kubernetes
/// Node's InternalIP (then Hostname) on <c>--agent-port</c>, always https. The <see cref="EndpointAnnotation"/> an agent
/// writes on its own GPUNode is honoured only when <paramref name="honourEndpointAnnotation"/> is set (local mode, where
/// several agents share 127.0.0.1 on their own ports): elsewhere any agent could point another node's pushes at itself.
/// Either way the TLS handshake must show the node's own certificate (<see cref="AgentChannelTrust"/>). Reads the
/// informer caches on every call, so an agent that re-registers elsewhere is found on the next push.
/// </summary>
public sealed class AgentAddressBook(Func<string, GpuNode?> gpuNodes, Func<string, V1Node?> nodes, int agentPort, bool honourEndpointAnnotation = false)
{
    /// <summary>GPUNode annotation with the agent's base URI; see <see cref="Annotations.AgentEndpoint"/>.</summary>
    public const string EndpointAnnotation = Annotations.AgentEndpoint;

    public Uri? Resolve(string node)
    {
        if (honourEndpointAnnotation
            && gpuNodes(node)?.Metadata?.Annotations is { } annotations
            && annotations.TryGetValue(EndpointAnnotation, out var published)
            && TryParse(published, out var endpoint))
        {
            return endpoint;
        }

        var addresses = nodes(node)?.Status?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address
            ?? addresses?.FirstOrDefault(a => a.Type == "Hostname")?.Address;
        if (string.IsNullOrEmpty(address) || agentPort <= 0)
        {
            return null;
        }

        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        return Uri.TryCreate($"https://{host}:{agentPort}/", UriKind.Absolute, out var fallback) ? fallback : null;
    }

    /// <summary>An absolute http(s) URI; a missing trailing slash is added so relative paths append (the plan client refuses http).</summary>
    public static bool TryParse(string? text, out Uri endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        endpoint = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        return true;
    }
}
