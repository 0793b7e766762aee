using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Authorization;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Http;

/// <summary>
/// The single entry point for every request: authentication (401 without a credential the server accepts), RBAC
/// authorization of the request's verb and resource (403 naming both, before routing, as a real server does), then
/// discovery and OpenAPI documents or the resource verbs. Every failure, including malformed input, becomes a
/// `kind: Status` body; nothing escapes as a crash.
/// </summary>
public sealed class ApiRequestHandler(RequestAuthenticator authenticator, RbacAuthorizer authorizer, ResourceRegistry registry, ResourceEndpoint resources)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = context.Request.Path.Value ?? "/";
            if (path is "/healthz" or "/readyz" or "/livez")
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return;
            }

            // Like a real API server, /version is public (the installed kubectl dispatcher reads it before it has credentials).
            var user = authenticator.Authenticate(context.Request);
            if (user is null && path != "/version")
            {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }

            if (user is not null)
            {
                context.Features.Set(user);
                authorizer.Demand(RequestAttributesReader.Read(user, context.Request, path.TrimEnd('/')));
            }

            await RouteAsync(context, path.TrimEnd('/'));
        }
        catch (ApiException failure)
        {
            await FailAsync(context, failure);
        }
        catch (BadHttpRequestException failure)
        {
            await FailAsync(context, new ApiException(failure.StatusCode == 413 ? 413 : 400, failure.StatusCode == 413 ? "RequestEntityTooLarge" : "BadRequest", failure.Message));
        }
        catch (Exception failure) when (failure is JsonException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or OverflowException)
        {
            await FailAsync(context, new ApiException(400, "BadRequest", $"the request could not be processed: {failure.Message}"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task RouteAsync(HttpContext context, string path)
    {
        var get = context.Request.Method == "GET";
        switch (path)
        {
            case "/version" when get:
                await Responses.JsonAsync(context, 200, DiscoveryDocuments.Version());
                return;
            case "/api" when get:
                await Responses.JsonAsync(context, 200, DiscoveryDocuments.CoreVersions());
                return;
            case "/apis" when get:
                await Responses.JsonAsync(context, 200, DiscoveryDocuments.Groups(registry));
                return;
            case "/openapi/v3" when get:
                await Responses.JsonAsync(context, 200, OpenApiDocuments.Root(registry));
                return;
        }

        if (get && path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var document = OpenApiDocuments.ForGroupVersion(registry, path["/openapi/v3/".Length..]) ?? throw NotFound();
            await Responses.JsonAsync(context, 200, document);
            return;
        }

        var segments = path.Trim('/').Split('/');
        if (get && segments is ["api", var coreVersion])
        {
            await Responses.JsonAsync(context, 200, DiscoveryDocuments.Resources(registry, string.Empty, coreVersion) ?? throw NotFound());
            return;
        }

        if (get && segments is ["apis", var group])
        {
            JsonObject groupDocument = registry.GroupVersions(group).Count > 0 ? DiscoveryDocuments.Group(registry, group) : throw NotFound();
            await Responses.JsonAsync(context, 200, groupDocument);
            return;
        }

        if (get && segments is ["apis", var apiGroup, var apiVersion])
        {
            await Responses.JsonAsync(context, 200, DiscoveryDocuments.Resources(registry, apiGroup, apiVersion) ?? throw NotFound());
            return;
        }

        var target = RequestTarget.Parse(path) ?? throw NotFound();
        var type = registry.Find(target.Group, target.Version, target.Plural) ?? throw NotFound();
        await resources.HandleAsync(context, target, type);
    }

    private static ApiException NotFound() => new(404, "NotFound", "the server could not find the requested resource");

    private static async Task FailAsync(HttpContext context, ApiException failure)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        await Responses.JsonAsync(context, failure.Code, failure.ToStatus());
    }
}
