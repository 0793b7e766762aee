using Microsoft.AspNetCore.Http;

namespace TensorFusion.Agent.Auth;

/// <summary>
/// --metrics-auth: GET /metrics needs either the operator's plan token (its autoscaler scrapes agents when no
/// Prometheus is configured) or a token whose user RBAC allows "get" on the non-resource URL /metrics (a scraper's
/// ClusterRole). Every other path passes on unchanged.
/// </summary>
internal sealed class MetricsAuthorizationMiddleware(RequestDelegate next, IBearerTokenChecker operatorToken, DelegatedAuthorizer authorizer)
{
    private const string BearerPrefix = "Bearer ";
    private static readonly AccessRequest MetricsPath = AccessRequest.ForPath("/metrics");

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path == "/metrics" && !await IsOperatorAsync(context) && !await authorizer.RequireAsync(context, MetricsPath))
        {
            return;
        }

        await next(context);
    }

    private async Task<bool> IsOperatorAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && (await operatorToken.CheckAsync(header[BearerPrefix.Length..].Trim(), context.RequestAborted)).Allowed;
    }
}
