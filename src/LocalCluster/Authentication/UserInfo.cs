using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Authentication;

/// <summary>Who made a request, as Kubernetes authenticators report it: a user name, a uid and the groups it belongs to.</summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups)
{
    public const string AdminName = "admin";
    public const string MastersGroup = "system:masters";
    public const string AuthenticatedGroup = "system:authenticated";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>The holder of the server's own bearer token (the kubeconfig user): cluster-admin through system:masters.</summary>
    public static UserInfo Admin { get; } = new(AdminName, string.Empty, [MastersGroup, AuthenticatedGroup]);

    public static UserInfo ForServiceAccount(string @namespace, string name, string uid) =>
        new(ServiceAccountPrefix + @namespace + ":" + name, uid, ["system:serviceaccounts", "system:serviceaccounts:" + @namespace, AuthenticatedGroup]);

    /// <summary>The `user` object of TokenReview, SelfSubjectReview and SubjectAccessReview.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["username"] = Name, ["groups"] = new JsonArray([.. Groups.Select(group => (JsonNode?)group)]) };
        if (Uid.Length > 0)
        {
            json["uid"] = Uid;
        }

        return json;
    }
}
