namespace TensorFusion.Agent.Auth;

/// <summary>
/// What a caller asks to do, in SubjectAccessReview terms: a non-resource URL (<see cref="Path"/>, e.g. GET /metrics)
/// or one object of a resource (<see cref="Resource"/> in <see cref="Group"/>, e.g. get a TensorFusionConnection).
/// </summary>
public sealed record AccessRequest(string Verb, string? Path, string? Group, string? Resource, string? Namespace, string? Name)
{
    /// <summary>GET on a non-resource URL, as kube-rbac-proxy authorises /metrics.</summary>
    public static AccessRequest ForPath(string path) => new("get", path, null, null, null, null);

    /// <summary>A verb on one named object.</summary>
    public static AccessRequest ForObject(string verb, string group, string resource, string @namespace, string name) =>
        new(verb, null, group, resource, @namespace, name);

    /// <summary>How the request reads in a refusal: "get /metrics" or "get tensorfusionconnections.tensor-fusion.ai ml/client-a".</summary>
    public override string ToString() => Path is not null
        ? $"{Verb} {Path}"
        : $"{Verb} {Resource}{(string.IsNullOrEmpty(Group) ? "" : "." + Group)} {Namespace}/{Name}";
}
