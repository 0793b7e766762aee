using System.Text;
using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Tests.Admission;

/// <summary>
/// ValidatingAdmissionPolicy semantics of the embedded API server on ConfigMaps, as the server's admin (policies judge
/// every user): reasons and their status codes, the Warn action, failurePolicy on an expression that cannot be
/// evaluated, and resource rules that leave subresources alone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AdmissionPolicyTests
{
    private const string ConfigMaps = "api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Create_ValidationFalseWithoutReason_422InvalidWithTheMessageExpression()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { RunControllers = false });
        await PolicyAsync(cluster, "size-cap", "size(object.data) <= 1", "Deny", messageExpression: "'config map ' + object.metadata.name + ' has more than 1 key'");

        var small = await cluster.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap("small", 1));
        var large = await cluster.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap("large", 2));

        Assert.Equal(201, small.Status);
        Assert.Equal(422, large.Status);
        Assert.Equal("Invalid", large.Body!["reason"]!.GetValue<string>());
        Assert.Equal("ValidatingAdmissionPolicy 'size-cap' with binding 'size-cap' denied request: config map large has more than 1 key", large.Body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WarnActionOnly_StoredWithAWarningHeader()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { RunControllers = false });
        await PolicyAsync(cluster, "size-cap", "size(object.data) <= 1", "Warn", message: "keep config maps small");

        using var request = new HttpRequestMessage(HttpMethod.Post, ConfigMaps) { Content = new StringContent(ConfigMap("large", 2), Encoding.UTF8, "application/json") };
        using var response = await cluster.Http.SendAsync(request);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Contains("Validation failed for ValidatingAdmissionPolicy 'size-cap' with binding 'size-cap': keep config maps small",
            string.Join(" ", response.Headers.TryGetValues("Warning", out var warnings) ? warnings : []), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fail", 403)]
    [InlineData("Ignore", 201)]
    public async Task Create_ExpressionFailsToEvaluate_FailurePolicyDecides(string failurePolicy, int expected)
    {
        // object.data has no key "missing": evaluating the expression is an error, not false.
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { RunControllers = false });
        await PolicyAsync(cluster, "broken", "object.data['missing'] == 'x'", "Deny", failurePolicy: failurePolicy);

        var created = await cluster.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap("any", 1));

        Assert.Equal(expected, created.Status);
        if (expected == 403)
        {
            Assert.Contains("policy could not be evaluated", created.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    /// <summary>A policy on CREATE and UPDATE of configmaps with one validation, and its binding of the same name.</summary>
    private static async Task PolicyAsync(
        TestCluster cluster, string name, string expression, string action, string? message = null, string? messageExpression = null, string failurePolicy = "Fail")
    {
        var validation = new JsonObject { ["expression"] = expression };
        if (message is not null)
        {
            validation["message"] = message;
        }

        if (messageExpression is not null)
        {
            validation["messageExpression"] = messageExpression;
        }

        var policy = new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = "ValidatingAdmissionPolicy",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["failurePolicy"] = failurePolicy,
                ["matchConstraints"] = new JsonObject
                {
                    ["resourceRules"] = new JsonArray(new JsonObject
                    {
                        ["apiGroups"] = new JsonArray(""), ["apiVersions"] = new JsonArray("v1"),
                        ["operations"] = new JsonArray("CREATE", "UPDATE"), ["resources"] = new JsonArray("configmaps"),
                    }),
                },
                ["validations"] = new JsonArray(validation),
            },
        };
        var binding = new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = "ValidatingAdmissionPolicyBinding",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["policyName"] = name, ["validationActions"] = new JsonArray(action) },
        };
        Assert.Equal(201, (await cluster.SendAsync(HttpMethod.Post, "apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", policy.ToJsonString())).Status);
        Assert.Equal(201, (await cluster.SendAsync(HttpMethod.Post, "apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings", binding.ToJsonString())).Status);
    }

    private static string ConfigMap(string name, int keys)
    {
        var data = new JsonObject();
        for (var key = 0; key < keys; key++)
        {
            data["k" + key] = "v";
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = data }.ToJsonString();
    }
}
