using System.Net.Http.Headers;
using CsCheck;

namespace TensorFusion.LocalCluster.Tests.Api;

public sealed class LimitsAndFuzzTests
{
    [Fact]
    public async Task Post_BodyOver3MiB_Answers413()
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\"" + new string('a', 3 * 1024 * 1024) + "\"}}";

        var (status, response) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", body);

        Assert.Equal(413, status);
        Assert.Equal("RequestEntityTooLarge", response!["reason"]!.ToString());
    }

    [Fact]
    public async Task Post_ObjectOver1Point5MiB_IsRejected()
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = "{\"metadata\":{\"name\":\"large\"},\"data\":{\"x\":\"" + new string('a', 2 * 1024 * 1024) + "\"}}";

        var (status, response) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", body);

        Assert.Equal(422, status);
        Assert.Contains("too large", response!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"metadata\":", "application/json", "not valid JSON")]
    [InlineData("metadata: [unclosed", "application/yaml", "not valid YAML")]
    [InlineData("[1,2]", "application/json", "must be a ConfigMap object")]
    public async Task Post_MalformedBody_Answers400WithReason(string body, string contentType, string reason)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (status, response) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", body, contentType);

        Assert.Equal(400, status);
        Assert.Equal("Status", response!["kind"]!.ToString());
        Assert.Contains(reason, response["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_RandomBytesAndMutatedObjects_NeverCrashTheServer()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        var valid = CustomResourceTests.Widget("fuzz", "small").ToJsonString();
        var paths = new[]
        {
            "api/v1/namespaces/default/configmaps", "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets",
            "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets/fuzz", "api/v1/namespaces/default/pods/x/status",
        };
        var methods = new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch };
        var contentTypes = new[] { "application/json", "application/yaml", "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json" };
        var mutated = Gen.Int[0, valid.Length - 1].Select(Gen.Char, (at, c) => valid[..at] + c + valid[(at + 1)..]);
        var random = Gen.Byte.Array[0, 300].Select(bytes => System.Text.Encoding.Latin1.GetString(bytes));
        var bodies = Gen.OneOf(mutated, random);
        var statuses = new List<int>();

        await Gen.Select(bodies, Gen.Int[0, paths.Length - 1], Gen.Int[0, methods.Length - 1], Gen.Int[0, contentTypes.Length - 1])
            .SampleAsync(async sample =>
            {
                var (body, path, method, contentType) = sample;
                using var request = new HttpRequestMessage(methods[method], paths[path]) { Content = new StringContent(body) };
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentTypes[contentType]);
                using var response = await cluster.Http.SendAsync(request);
                lock (statuses)
                {
                    statuses.Add((int)response.StatusCode);
                }

                return (int)response.StatusCode < 500;
            }, iter: 300, threads: 1);

        var (healthStatus, namespaces) = await cluster.SendAsync(HttpMethod.Get, "api/v1/namespaces");
        Assert.Equal(200, healthStatus);
        Assert.Equal("NamespaceList", namespaces!["kind"]!.ToString());
        Assert.All(statuses, status => Assert.InRange(status, 200, 499));
    }
}
