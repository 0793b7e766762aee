using Microsoft.AspNetCore.Http;

namespace TensorFusion.Agent.Auth;

/// <summary>
/// --metrics-auth: GET /metrics needs a token whose user RBAC allows "get" on the non-resource URL /metrics (the
/// scraper's ClusterRole), instead of the operator's plan-push token. Every other path passes on unchanged.
/// </summary>
internal sealed class MetricsAuthorizationMiddleware(RequestDelegate next, DelegatedAuthorizer authorizer)
{
    private static readonly AccessRequest MetricsPath = AccessRequest.ForPath("/metrics");

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path == "/metrics" && !await authorizer.RequireAsync(context, MetricsPath))
        {
            return;
        }

        await next(context);
    }
}
