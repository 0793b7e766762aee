namespace TensorFusion.LocalCluster.Http;

/// <summary>A resource URL taken apart: /api/v1/... or /apis/{group}/{version}/..., optional namespace, name and subresource.</summary>
public sealed record RequestTarget(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource)
{
    /// <summary>Parses a resource path; null when the path is not a resource path (discovery and friends).</summary>
    public static RequestTarget? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (segments is ["api", _, _, ..])
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments is ["apis", _, _, _, ..])
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..].Select(Uri.UnescapeDataString).ToArray();
        string? @namespace = null;
        var namespaceSubresource = tail is ["namespaces", _, "status" or "finalize"];
        if (tail is ["namespaces", _, _, ..] && !namespaceSubresource)
        {
            @namespace = tail[1];
            tail = tail[2..];
        }

        return tail.Length switch
        {
            1 => new RequestTarget(group, version, @namespace, tail[0], null, null),
            2 => new RequestTarget(group, version, @namespace, tail[0], tail[1], null),
            3 => new RequestTarget(group, version, @namespace, tail[0], tail[1], tail[2]),
            _ => null,
        };
    }
}
