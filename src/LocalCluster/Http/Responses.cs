using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;

namespace TensorFusion.LocalCluster.Http;

/// <summary>Writes JSON responses (nodes, or pre-encoded bytes) and warning headers.</summary>
public static class Responses
{
    public static async Task JsonAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonText.Encode(body), context.RequestAborted);
    }

    public static async Task BytesAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static void Warn(HttpContext context, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }
}
