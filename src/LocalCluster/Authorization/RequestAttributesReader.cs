using Microsoft.AspNetCore.Http;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// The request-info rules of a real API server: GET is get (with a name), list, or watch (?watch=true or the legacy
/// /watch/ prefix); POST is create; PUT update; PATCH patch; DELETE delete or deletecollection (no name); discovery
/// and other paths are non-resource requests whose verb is the lower-cased method. A namespace's own URL is in that
/// namespace, and a list or watch with fieldSelector=metadata.name=X is authorised as a request for X.
/// </summary>
public static class RequestAttributesReader
{
    public static RequestAttributes Read(UserInfo user, HttpRequest request, string path)
    {
        var watchPrefix = false;
        var resourcePath = path;
        var segments = path.Trim('/').Split('/');
        if (segments is ["api", _, "watch", ..] or ["apis", _, _, "watch", ..])
        {
            // Legacy /watch/ URLs: same resource, verb watch.
            var index = segments[0] == "api" ? 2 : 3;
            resourcePath = "/" + string.Join('/', segments.Take(index).Concat(segments.Skip(index + 1)));
            watchPrefix = true;
        }

        var target = RequestTarget.Parse(resourcePath);
        if (target is null)
        {
            return RequestAttributes.ForPath(user, request.Method.ToLowerInvariant(), path.Length == 0 ? "/" : path);
        }

        var name = target.Name ?? string.Empty;
        var verb = request.Method switch
        {
            "GET" or "HEAD" when watchPrefix || request.Query["watch"] is var watch && (watch == "true" || watch == "1") => "watch",
            "GET" or "HEAD" => name.Length == 0 ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name.Length == 0 ? "deletecollection" : "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        if (verb is "list" or "watch" && NameFromFieldSelector(request.Query["fieldSelector"].ToString()) is { } selected)
        {
            name = selected;
        }

        var @namespace = target.Namespace ?? (target.Plural == "namespaces" ? name : string.Empty);
        return RequestAttributes.ForResource(user, verb, target.Group, target.Plural, target.Subresource ?? string.Empty, @namespace, name);
    }

    private static string? NameFromFieldSelector(string selector)
    {
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var prefix in (string[])["metadata.name==", "metadata.name="])
            {
                if (term.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return term[prefix.Length..];
                }
            }
        }

        return null;
    }
}
