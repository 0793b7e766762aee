using TensorFusion.LocalCluster.Authentication;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// What an authorizer decides on, as Kubernetes' request info: either a resource request (verb, API group, resource,
/// subresource, namespace, name) or a non-resource request (verb, path).
/// </summary>
public sealed record RequestAttributes(
    UserInfo User, string Verb, bool IsResourceRequest, string Group, string Resource, string Subresource, string Namespace, string Name, string Path)
{
    public static RequestAttributes ForResource(UserInfo user, string verb, string group, string resource, string subresource = "", string @namespace = "", string name = "") =>
        new(user, verb, true, group, resource, subresource, @namespace, name, string.Empty);

    public static RequestAttributes ForPath(UserInfo user, string verb, string path) => new(user, verb, false, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, path);

    /// <summary>"pods" or "pods/eviction", as RBAC rules name resources.</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
