using System.Net;
using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

public sealed class AgentPlanClientTests
{
    private static readonly NodePlan Plan = new("n0", 7, [new PlannedAllocation("team", "llm", "llm-0", Gpu.Requests.IsolationMode.Soft,
        [new PlannedDeviceShare("gpu-a", 10, 20, 1024, 2048)])]);

    private static AgentPlanClient Client(StubHttpHandler handler, string? token = "s3cret") =>
        new(new HttpClient(handler), node => node == "n0" ? new Uri("https://10.0.0.7:9100/") : null, () => token, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Push_Applied_AcknowledgedWithBearerTokenAndCamelCaseBody()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Json(HttpStatusCode.OK,
            """{"nodeName":"n0","observedGeneration":7,"result":"applied","allocations":[]}"""));

        var result = await Client(handler).PushAsync(Plan, CancellationToken.None);

        Assert.True(result.Acknowledged);
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal((HttpMethod.Put, "https://10.0.0.7:9100/api/v1/plan"), (request.Method, request.RequestUri!.ToString()));
        // The node's name is the TLS server name (SNI and the certificate name check), whatever address is dialled.
        Assert.Equal("n0", request.Headers.Host);
        Assert.Equal("Bearer s3cret", request.Headers.Authorization!.ToString());
        Assert.Contains("\"isolation\":\"soft\"", body, StringComparison.Ordinal);
        Assert.Contains("\"generation\":7", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_Conflict_RefusedNotAcknowledged()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Json(HttpStatusCode.Conflict,
            """{"nodeName":"n0","observedGeneration":9,"result":"refused","allocations":[],"message":"generation 7 is older than 9"}"""));

        var result = await Client(handler).PushAsync(Plan, CancellationToken.None);

        Assert.False(result.Acknowledged);
        Assert.Equal(PlanApplyResult.Refused, result.Status!.Result);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "HTTP 500")]
    [InlineData(HttpStatusCode.Unauthorized, "HTTP 401")]
    public async Task Push_ErrorStatus_UnreachableWithCode(HttpStatusCode code, string expected)
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Json(code, """{"error":"x"}"""));

        var result = await Client(handler).PushAsync(Plan, CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ConnectionRefused_UnreachableNotThrown()
    {
        var handler = new StubHttpHandler(_ => throw new HttpRequestException("Connection refused (agent-n0:9100)"));

        var result = await Client(handler).PushAsync(Plan, CancellationToken.None);

        Assert.Equal("agent n0: Connection refused (agent-n0:9100)", result.Error);
    }

    [Fact]
    public async Task Push_UnknownNode_UnreachableWithoutRequest()
    {
        var handler = new StubHttpHandler(_ => throw new InvalidOperationException("must not be called"));

        var result = await Client(handler).PushAsync(Plan with { NodeName = "n9" }, CancellationToken.None);

        Assert.Equal("no agent address known for node n9", result.Error);
        Assert.Empty(handler.Requests);
    }
}
