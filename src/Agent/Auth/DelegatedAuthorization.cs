using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TensorFusion.Agent.Auth;

/// <summary>
/// The HTTP side of <see cref="DelegatedAuthorizer"/>, shared by the agent's and the operator's endpoints: asks for a
/// decision on the request's bearer token and, when refused, answers 401 (with WWW-Authenticate), 403 or 503 and a
/// JSON body <c>{"error": reason}</c>.
/// </summary>
public static class DelegatedAuthorization
{
    // Reasons quote user names ('system:serviceaccount:…'): keep them readable in curl output instead of \u0027.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <returns>True when the request may go on; false when the refusal has been written.</returns>
    public static async Task<bool> RequireAsync(this DelegatedAuthorizer authorizer, HttpContext context, AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(context);
        var decision = await authorizer.AuthorizeAsync(context.Request.Headers.Authorization.ToString(), request, context.RequestAborted);
        if (decision.Allowed)
        {
            return true;
        }

        context.Response.StatusCode = decision.StatusCode;
        if (decision.StatusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject { ["error"] = decision.Reason }.ToJsonString(Readable), context.RequestAborted);
        return false;
    }
}
