using Microsoft.AspNetCore.Http;
using TensorFusion.Agent.Auth;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Http;

/// <summary>Requires "Authorization: Bearer &lt;token&gt;" on every path except the health endpoints (and /metrics
/// when anonymous metrics are on). Refusals are 401 with a reason that never echoes the token.</summary>
internal sealed class BearerTokenMiddleware(RequestDelegate next, IBearerTokenChecker checker, bool anonymousMetrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path == "/healthz" || path == "/readyz" || (anonymousMetrics && path == "/metrics"))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        var verdict = header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? await checker.CheckAsync(header[Prefix.Length..].Trim(), context.RequestAborted)
            : TokenCheckResult.Deny("missing 'Authorization: Bearer <token>' header");
        if (!verdict.Allowed)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new ApiError(verdict.Reason ?? "unauthorized", []), PlanJson.Options, context.RequestAborted);
            return;
        }

        await next(context);
    }
}
