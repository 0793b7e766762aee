using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// The review kinds, answered at once and never stored: SelfSubjectAccessReview (`kubectl auth can-i`),
/// SubjectAccessReview (about another user), SelfSubjectRulesReview (`kubectl auth can-i --list`), TokenReview and
/// SelfSubjectReview (`kubectl auth whoami`). Each answer comes from the same RBAC decision that guards requests.
/// </summary>
public sealed class AccessReviews(RbacAuthorizer authorizer, RequestAuthenticator authenticator)
{
    public JsonObject Answer(ResourceType type, JsonObject review, UserInfo caller)
    {
        var spec = review["spec"] as JsonObject ?? [];
        review["status"] = type.Kind switch
        {
            "SelfSubjectAccessReview" => Decide(caller, spec),
            "SubjectAccessReview" => Decide(SubjectOf(spec), spec),
            "SelfSubjectRulesReview" => Rules(caller, Text(spec, "namespace")),
            "TokenReview" => ReviewToken(spec),
            "SelfSubjectReview" => new JsonObject { ["userInfo"] = caller.ToJson() },
            _ => throw ApiException.BadRequest($"{type.Kind} is not a review kind"),
        };
        return review;
    }

    private static UserInfo SubjectOf(JsonObject spec)
    {
        var user = Text(spec, "user");
        var groups = PolicyRules.Strings(spec["groups"]).ToList();
        if (user.Length == 0 && groups.Count == 0)
        {
            throw ApiException.Invalid("SubjectAccessReview", string.Empty, [("spec.user", "Invalid value: \"\": at least one of user or group must be specified")]);
        }

        return new UserInfo(user, Text(spec, "uid"), groups);
    }

    private JsonObject Decide(UserInfo user, JsonObject spec)
    {
        RequestAttributes request;
        if (spec["resourceAttributes"] is JsonObject resource)
        {
            request = RequestAttributes.ForResource(user, Text(resource, "verb"), Text(resource, "group"), Text(resource, "resource"),
                Text(resource, "subresource"), Text(resource, "namespace"), Text(resource, "name"));
        }
        else if (spec["nonResourceAttributes"] is JsonObject path)
        {
            request = RequestAttributes.ForPath(user, Text(path, "verb"), Text(path, "path"));
        }
        else
        {
            throw ApiException.Invalid("SubjectAccessReview", string.Empty, [("spec.resourceAttributes", "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
        }

        return authorizer.Allows(request)
            ? new JsonObject { ["allowed"] = true, ["reason"] = "allowed by RBAC" }
            : new JsonObject { ["allowed"] = false };
    }

    private JsonObject Rules(UserInfo user, string @namespace)
    {
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in authorizer.RulesFor(user, @namespace))
        {
            var copy = rule.DeepClone().AsObject();
            (copy["nonResourceURLs"] is null ? resourceRules : nonResourceRules).Add(copy);
        }

        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }

    private JsonObject ReviewToken(JsonObject spec)
    {
        var verdict = authenticator.Review(Text(spec, "token"), PolicyRules.Strings(spec["audiences"]).ToList());
        var status = new JsonObject { ["authenticated"] = verdict.Authenticated };
        if (verdict.User is { } user)
        {
            status["user"] = user.ToJson();
            status["audiences"] = new JsonArray([.. verdict.Audiences.Select(audience => (JsonNode?)audience)]);
        }
        else
        {
            status["error"] = verdict.Error;
        }

        return status;
    }

    private static string Text(JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? string.Empty;
}
