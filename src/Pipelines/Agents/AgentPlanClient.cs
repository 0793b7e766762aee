using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// Pushes plans with <c>PUT {agent}/api/v1/plan</c> and a bearer token, over TLS only, to the agent whose certificate
/// names the plan's node (<see cref="AgentChannelTrust"/>): a plain-HTTP address is refused before anything is sent,
/// and so is an agent whose certificate is not from the operator's CA or names another node. The agent answers 200
/// with its status, 409 when it refuses the generation, 400 for an invalid plan; anything else (and no answer within
/// the timeout) is unreachable and retried.
/// </summary>
public sealed class AgentPlanClient(HttpClient http, Func<string, Uri?> agentAddress, Func<string?> bearerToken, TimeSpan timeout, AgentChannelTrust? trust = null)
    : INodePlanClient
{
    public async Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken)
    {
        if (agentAddress(plan.NodeName) is not { } baseAddress)
        {
            return PlanPushResult.Unreachable($"no agent address known for node {plan.NodeName}");
        }

        if (baseAddress.Scheme != Uri.UriSchemeHttps)
        {
            return PlanPushResult.Unreachable($"agent {plan.NodeName}: address {baseAddress} is not https; plans and the bearer token go to agents over TLS only");
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseAddress, "api/v1/plan"))
        {
            Content = JsonContent.Create(plan, options: PlanJson.Options),
        };
        AgentChannelTrust.TargetNode(request, plan.NodeName);
        if (bearerToken() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await http.SendAsync(request, timeoutSource.Token);
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict)
            {
                var status = await response.Content.ReadFromJsonAsync<NodePlanStatus>(PlanJson.Options, timeoutSource.Token);
                return status is null
                    ? PlanPushResult.Unreachable($"agent {plan.NodeName}: empty status body")
                    : new PlanPushResult(status, null);
            }

            var body = await response.Content.ReadAsStringAsync(timeoutSource.Token);
            return PlanPushResult.Unreachable($"agent {plan.NodeName}: HTTP {(int)response.StatusCode} {Truncate(body)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PlanPushResult.Unreachable($"agent {plan.NodeName}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException error) when (error.InnerException is System.Security.Authentication.AuthenticationException)
        {
            var reason = trust?.RefusalFor(plan.NodeName) ?? error.InnerException.Message;
            return PlanPushResult.Unreachable($"agent {plan.NodeName}: refused its TLS identity: {reason}");
        }
        catch (HttpRequestException error)
        {
            return PlanPushResult.Unreachable($"agent {plan.NodeName}: {error.Message}");
        }
        catch (JsonException error)
        {
            return PlanPushResult.Unreachable($"agent {plan.NodeName}: unreadable status: {error.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
