using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Authentication;

/// <summary>Who made a request, as Kubernetes authenticators report it: a user name, a uid, the groups it belongs to and extra attributes.</summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups)
{
    /// <summary>Extra attributes, e.g. <c>authentication.kubernetes.io/node-name</c> of a token bound to a pod.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

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

        if (Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (key, values) in Extra.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                extra[key] = new JsonArray([.. values.Select(value => (JsonNode?)value)]);
            }

            json["extra"] = extra;
        }

        return json;
    }
}
