using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Tests.Authorization;

namespace TensorFusion.LocalCluster.Tests.Certificates;

/// <summary>certificates.k8s.io/v1 CertificateSigningRequests: who asked is the server's word, and /approval and /status follow a real server's rules.</summary>
[Trait("Category", "Integration")]
public sealed class CertificateSigningRequestTests
{
    private const string Signer = "example.com/serving";
    private const string Path = "apis/certificates.k8s.io/v1/certificatesigningrequests";

    [Fact]
    public async Task Create_BodyClaimsAnotherUser_ServerWritesTheAuthenticatedRequester()
    {
        await using var cluster = await TestCluster.StartAsync();
        var token = await AccountAsync(cluster, "requester", ["create", "get"]);
        var body = Request("forged", Csr("CN=node-a")).AsObject();
        body["spec"]!["username"] = "admin";
        body["spec"]!["groups"] = new JsonArray("system:masters");
        body["spec"]!["extra"] = new JsonObject { ["authentication.kubernetes.io/node-name"] = new JsonArray("node-b") };

        var (status, created) = await ServiceAccountTokenTests.SendAsAsync(cluster, token, HttpMethod.Post, Path, body.ToJsonString());

        Assert.True(status == 201, $"create failed: {status} {created}");
        Assert.Equal("system:serviceaccount:default:requester", created!["spec"]!["username"]!.GetValue<string>());
        Assert.DoesNotContain("system:masters", created["spec"]!["groups"]!.AsArray().Select(group => group!.GetValue<string>()));
        Assert.Null(created["spec"]!["extra"]);
        Assert.False(string.IsNullOrEmpty(created["spec"]!["uid"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("signerName", "", "spec.signerName")]
    [InlineData("signerName", "no-domain", "spec.signerName")]
    [InlineData("request", "bm90IGEgY3Ny", "spec.request")]
    public async Task Create_InvalidField_422NamingTheField(string field, string value, string expected)
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = Request("bad", Csr("CN=node-a"));
        body["spec"]![field] = value;

        var (status, answer) = await cluster.SendAsync(HttpMethod.Post, Path, body.ToJsonString());

        Assert.Equal(422, status);
        Assert.Equal(expected, answer!["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Null(cluster.Server.Store.Get("certificatesigningrequests.certificates.k8s.io", string.Empty, "bad"));
    }

    [Fact]
    public async Task Approval_NeedsApproveOnTheSigner_ThenDecisionCannotBeRemovedOrContradicted()
    {
        await using var cluster = await TestCluster.StartAsync();
        var requester = await AccountAsync(cluster, "requester", ["create", "get"]);
        await CreateAsync(cluster, requester, "node-a");
        // May update certificatesigningrequests/approval but holds no 'approve' on the signer.
        var clerk = await AccountAsync(cluster, "clerk", ["get"], subresourceVerbs: ["update"]);
        var approver = await AccountAsync(cluster, "approver", ["get"], subresourceVerbs: ["update"], signerVerbs: ["approve"]);

        var byRequester = await DecideAsync(cluster, requester, "node-a", "Approved");
        var byClerk = await DecideAsync(cluster, clerk, "node-a", "Approved");
        var byApprover = await DecideAsync(cluster, approver, "node-a", "Approved");
        var contradicted = await ServiceAccountTokenTests.SendAsAsync(cluster, approver, HttpMethod.Put, $"{Path}/node-a/approval",
            WithConditions(byApprover.Body!, new JsonObject { ["type"] = "Approved", ["status"] = "True" }, new JsonObject { ["type"] = "Denied", ["status"] = "True" }));
        var removed = await ServiceAccountTokenTests.SendAsAsync(cluster, approver, HttpMethod.Put, $"{Path}/node-a/approval", WithConditions(byApprover.Body!));

        Assert.Equal(403, byRequester.Status);
        Assert.Equal(403, byClerk.Status);
        Assert.Contains("not permitted to approve requests with signerName \"example.com/serving\"", byClerk.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, byApprover.Status);
        Assert.Equal("Approved", byApprover.Body!["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(422, contradicted.Status);
        Assert.Equal(422, removed.Status);
        Assert.Contains("may not remove a condition of type \"Approved\"", removed.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CertificateOnlyWhenApprovedBySignerAndOnlyOnce()
    {
        await using var cluster = await TestCluster.StartAsync();
        var requester = await AccountAsync(cluster, "requester", ["create", "get"]);
        await CreateAsync(cluster, requester, "node-a");
        var approver = await AccountAsync(cluster, "approver", ["get"], subresourceVerbs: ["update", "patch"], signerVerbs: ["approve"]);
        var signer = await AccountAsync(cluster, "signer", ["get"], subresourceVerbs: ["update", "patch"], signerVerbs: ["sign"]);
        var certificate = Convert.ToBase64String(Encoding.ASCII.GetBytes(SelfSigned("CN=node-a")));

        var beforeApproval = await IssueAsync(cluster, signer, "node-a", certificate);
        await DecideAsync(cluster, approver, "node-a", "Approved");
        var byApprover = await IssueAsync(cluster, approver, "node-a", certificate);
        var notPem = await IssueAsync(cluster, signer, "node-a", Convert.ToBase64String("garbage"u8.ToArray()));
        var issued = await IssueAsync(cluster, signer, "node-a", certificate);
        var again = await IssueAsync(cluster, signer, "node-a", Convert.ToBase64String(Encoding.ASCII.GetBytes(SelfSigned("CN=other"))));

        Assert.Equal(422, beforeApproval.Status);
        Assert.Contains("only be set when the request is approved", beforeApproval.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(403, byApprover.Status);
        Assert.Equal(422, notPem.Status);
        Assert.Equal(200, issued.Status);
        Assert.Equal(certificate, issued.Body!["status"]!["certificate"]!.GetValue<string>());
        // The approval survives a /status write that did not mention it.
        Assert.Equal("Approved", issued.Body!["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(422, again.Status);
    }

    [Fact]
    public async Task Update_ChangingTheSpec_422AndStoredSpecKept()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (_, created) = await cluster.SendAsync(HttpMethod.Post, Path, Request("node-a", Csr("CN=node-a")).ToJsonString());
        var changed = created!.DeepClone();
        changed["spec"]!["signerName"] = "example.com/other";

        var (status, _) = await cluster.SendAsync(HttpMethod.Put, $"{Path}/node-a", changed.ToJsonString());
        var (_, stored) = await cluster.SendAsync(HttpMethod.Get, $"{Path}/node-a");

        Assert.Equal(422, status);
        Assert.Equal(Signer, stored!["spec"]!["signerName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kubectl_CertificateApproveThenGetCsr_ShowsSignerRequestorAndApproval()
    {
        await using var cluster = await TestCluster.StartAsync();
        var requester = await AccountAsync(cluster, "requester", ["create", "get"]);
        await CreateAsync(cluster, requester, "node-a");
        var kubectl = new Kubectl.Kubectl(cluster);

        var approved = await kubectl.RunAsync("certificate approve node-a");
        var listed = await kubectl.RunAsync("get csr");

        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Contains("certificatesigningrequest.certificates.k8s.io/node-a approved", approved.Output, StringComparison.Ordinal);
        Assert.Matches(@"node-a\s+\S+\s+example\.com/serving\s+system:serviceaccount:default:requester\s+Approved", listed.Output);
    }

    private static async Task CreateAsync(TestCluster cluster, string token, string name)
    {
        var (status, body) = await ServiceAccountTokenTests.SendAsAsync(cluster, token, HttpMethod.Post, Path, Request(name, Csr("CN=" + name)).ToJsonString());
        Assert.True(status == 201, $"create failed: {status} {body}");
    }

    private static async Task<(int Status, JsonNode? Body)> DecideAsync(TestCluster cluster, string token, string name, string decision)
    {
        var (_, current) = await cluster.SendAsync(HttpMethod.Get, $"{Path}/{name}");
        return await ServiceAccountTokenTests.SendAsAsync(cluster, token, HttpMethod.Put, $"{Path}/{name}/approval",
            WithConditions(current!, new JsonObject { ["type"] = decision, ["status"] = "True", ["reason"] = "Test" }));
    }

    private static Task<(int Status, JsonNode? Body)> IssueAsync(TestCluster cluster, string token, string name, string certificate) =>
        ServiceAccountTokenTests.SendAsAsync(cluster, token, HttpMethod.Patch, $"{Path}/{name}/status",
            new JsonObject { ["status"] = new JsonObject { ["certificate"] = certificate } }.ToJsonString(), "application/merge-patch+json");

    private static string WithConditions(JsonNode current, params JsonObject[] conditions)
    {
        var copy = current.DeepClone();
        copy["status"] = new JsonObject { ["conditions"] = new JsonArray([.. conditions]) };
        return copy.ToJsonString();
    }

    /// <summary>A ServiceAccount with a ClusterRole: verbs on CSRs, on their approval/status subresources, and on the test signer.</summary>
    private static async Task<string> AccountAsync(TestCluster cluster, string name, string[] verbs, string[]? subresourceVerbs = null, string[]? signerVerbs = null)
    {
        var token = await ServiceAccountTokenTests.RequestTokenAsync(cluster, "default", name, []);
        var rules = new JsonArray(Rule(["certificatesigningrequests"], verbs));
        if (subresourceVerbs is not null)
        {
            rules.Add(Rule(["certificatesigningrequests/approval", "certificatesigningrequests/status"], subresourceVerbs));
        }

        if (signerVerbs is not null)
        {
            var signerRule = Rule(["signers"], signerVerbs);
            signerRule["resourceNames"] = new JsonArray(Signer);
            rules.Add(signerRule);
        }

        await cluster.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterroles",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["rules"] = rules }.ToJsonString());
        await cluster.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterrolebindings", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = "default" }),
        }.ToJsonString());
        return token;
    }

    private static JsonObject Rule(string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = new JsonArray("certificates.k8s.io"),
        ["resources"] = new JsonArray([.. resources.Select(resource => (JsonNode?)resource)]),
        ["verbs"] = new JsonArray([.. verbs.Select(verb => (JsonNode?)verb)]),
    };

    private static JsonObject Request(string name, string pem) => new()
    {
        ["apiVersion"] = "certificates.k8s.io/v1",
        ["kind"] = "CertificateSigningRequest",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)),
            ["signerName"] = Signer,
            ["usages"] = new JsonArray("digital signature", "server auth"),
        },
    };

    private static string Csr(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    private static string SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
