using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Http;

/// <summary>The agent's HTTP API (documented in docs/agent-protocol.md).</summary>
internal static class AgentEndpoints
{
    public const long MaxPlanBytes = 4 * 1024 * 1024;

    public static void Map(WebApplication app, NodeAgent agent)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => Results.Text("ready\n"));
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            agent.RefreshMetrics();
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await agent.Metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/api/v1/plan", () => Results.Json(agent.Applier.Status, PlanJson.Options));
        app.MapPut("/api/v1/plan", (HttpContext context, CancellationToken _) => PutPlanAsync(context, agent));
        app.MapGet("/api/v1/devices", () => Results.Json(agent.RefreshHealth(), PlanJson.Options));
    }

    private static async Task<IResult> PutPlanAsync(HttpContext context, NodeAgent agent)
    {
        if (context.Request.ContentLength > MaxPlanBytes)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"plan body: {context.Request.ContentLength} bytes, at most {MaxPlanBytes}");
        }

        NodePlan? plan;
        try
        {
            plan = await JsonSerializer.DeserializeAsync<NodePlan>(context.Request.Body, PlanJson.Options, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"plan body is not a valid NodePlan at {e.Path ?? "$"} (line {e.LineNumber}): {e.Message}");
        }

        var errors = NodePlanValidator.Validate(plan, agent.NodeName);
        if (errors.Count > 0)
        {
            return Results.Json(new ApiError("invalid plan", errors), PlanJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        var status = agent.ApplyPlan(plan!);
        var code = status.Result == PlanApplyResult.Refused ? StatusCodes.Status409Conflict : StatusCodes.Status200OK;
        return Results.Json(status, PlanJson.Options, statusCode: code);
    }

    private static IResult Error(int statusCode, string message) =>
        Results.Json(new ApiError(message, []), PlanJson.Options, statusCode: statusCode);
}
