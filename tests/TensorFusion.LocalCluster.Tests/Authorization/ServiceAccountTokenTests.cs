using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace TensorFusion.LocalCluster.Tests.Authorization;

/// <summary>TokenRequest, requests made with the tokens it issues, TokenReview and the 403 a refused request gets.</summary>
[Trait("Category", "Integration")]
public sealed class ServiceAccountTokenTests
{
    [Fact]
    public async Task Request_ServiceAccountWithoutBinding_Gets403NamingVerbResourceAndNamespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        var token = await RequestTokenAsync(cluster, "default", "reader", []);

        var (status, body) = await SendAsAsync(cluster, token, HttpMethod.Get, "api/v1/namespaces/x/pods");

        Assert.Equal(403, status);
        Assert.Equal("Forbidden", body!["reason"]!.GetValue<string>());
        Assert.Equal(
            "pods is forbidden: User \"system:serviceaccount:default:reader\" cannot list resource \"pods\" in API group \"\" in the namespace \"x\"",
            body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_RoleBindingInOneNamespace_AllowsThereOnly()
    {
        await using var cluster = await TestCluster.StartAsync();
        var token = await RequestTokenAsync(cluster, "default", "reader", []);
        await cluster.CreateYamlAsync("apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: { name: pod-reader }
            rules: [ { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] } ]
            """);
        await cluster.CreateYamlAsync("apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: { name: pod-reader }
            roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader }
            subjects: [ { kind: ServiceAccount, name: reader } ]
            """);

        var here = await SendAsAsync(cluster, token, HttpMethod.Get, "api/v1/namespaces/default/pods?watch=false");
        var elsewhere = await SendAsAsync(cluster, token, HttpMethod.Get, "api/v1/namespaces/kube-system/pods");
        var create = await SendAsAsync(cluster, token, HttpMethod.Post, "api/v1/namespaces/default/pods", """{"metadata":{"name":"p"}}""");
        var status = await SendAsAsync(cluster, token, HttpMethod.Get, "api/v1/namespaces/default/pods/p/status");

        Assert.Equal(200, here.Status);
        Assert.Equal(403, elsewhere.Status);
        Assert.Equal(403, create.Status);
        // "pods" does not cover the status subresource.
        Assert.Equal(403, status.Status);
        Assert.Contains("cannot get resource \"pods/status\"", status.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenReview_AudienceAndLifetime_CheckedAndDeletedAccountRevokes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { TimeProvider = time, RunControllers = false });
        var token = await RequestTokenAsync(cluster, "default", "operator", ["tensorfusion-agent"], expirationSeconds: 600);

        var forAgent = await ReviewAsync(cluster, token, "tensorfusion-agent");
        var forOther = await ReviewAsync(cluster, token, "someone-else");
        // A token for the agent's audience is not a token for the API server.
        var asApiCall = await SendAsAsync(cluster, token, HttpMethod.Get, "api/v1/namespaces");
        time.Advance(TimeSpan.FromSeconds(600));
        var expired = await ReviewAsync(cluster, token, "tensorfusion-agent");
        var fresh = await RequestTokenAsync(cluster, "default", "operator", ["tensorfusion-agent"]);
        await cluster.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/serviceaccounts/operator");
        var revoked = await ReviewAsync(cluster, fresh, "tensorfusion-agent");

        Assert.True(forAgent["authenticated"]!.GetValue<bool>());
        Assert.Equal("system:serviceaccount:default:operator", forAgent["user"]!["username"]!.GetValue<string>());
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], forAgent["user"]!["groups"]!.AsArray().Select(group => group!.GetValue<string>()));
        Assert.Equal("tensorfusion-agent", forAgent["audiences"]![0]!.GetValue<string>());
        Assert.False(forOther["authenticated"]!.GetValue<bool>());
        Assert.Contains("audience", forOther["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(401, asApiCall.Status);
        Assert.False(expired["authenticated"]!.GetValue<bool>());
        Assert.Contains("expired", expired["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(revoked["authenticated"]!.GetValue<bool>());
        Assert.Contains("deleted", revoked["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRequest_ShorterThanTenMinutes_RefusedNamingTheField()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"short"}}""");

        var (status, body) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts/short/token",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":60}}""");

        Assert.Equal(422, status);
        Assert.Contains("spec.expirationSeconds", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_ServiceAccount_AnswersFromItsBindings()
    {
        await using var cluster = await TestCluster.StartAsync();
        await ShippedRbac.ApplyAsync(cluster.Server);
        var token = await RequestTokenAsync(cluster, ShippedRbac.Namespace, "tensorfusion-agent", []);

        var gpus = await CanIAsync(cluster, token, "create", "tensor-fusion.ai", "gpus");
        var nodes = await CanIAsync(cluster, token, "delete", "", "nodes");

        Assert.True(gpus);
        Assert.False(nodes);
    }

    internal static async Task<string> RequestTokenAsync(TestCluster cluster, string @namespace, string name, string[] audiences, long expirationSeconds = 3600)
    {
        if (cluster.Server.Store.Get("serviceaccounts", @namespace, name) is null)
        {
            await cluster.SendAsync(HttpMethod.Post, $"api/v1/namespaces/{@namespace}/serviceaccounts", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        }

        var request = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject { ["audiences"] = new JsonArray([.. audiences.Select(audience => (JsonNode?)audience)]), ["expirationSeconds"] = expirationSeconds },
        };
        var (status, body) = await cluster.SendAsync(HttpMethod.Post, $"api/v1/namespaces/{@namespace}/serviceaccounts/{name}/token", request.ToJsonString());
        Assert.True(status == 201, $"TokenRequest failed: {status} {body}");
        return body!["status"]!["token"]!.GetValue<string>();
    }

    private static async Task<bool> CanIAsync(TestCluster cluster, string token, string verb, string group, string resource)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource } },
        }.ToJsonString();
        var (status, body) = await SendAsAsync(cluster, token, HttpMethod.Post, "apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);
        Assert.Equal(201, status);
        return body!["status"]!["allowed"]!.GetValue<bool>();
    }

    private static async Task<JsonNode> ReviewAsync(TestCluster cluster, string token, string audience)
    {
        var review = $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}","audiences":["{{{audience}}}"]}}""";
        var (status, body) = await cluster.SendAsync(HttpMethod.Post, "apis/authentication.k8s.io/v1/tokenreviews", review);
        Assert.Equal(201, status);
        return body!["status"]!;
    }

    internal static async Task<(int Status, JsonNode? Body)> SendAsAsync(
        TestCluster cluster, string token, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await cluster.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
