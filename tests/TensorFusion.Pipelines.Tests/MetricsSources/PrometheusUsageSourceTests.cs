using System.Net;
using TensorFusion.Pipelines.MetricsSources;
using TensorFusion.Pipelines.Tests.Agents;

namespace TensorFusion.Pipelines.Tests.MetricsSources;

[Trait("Category", "Fault")]
public sealed class PrometheusUsageSourceTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static PrometheusUsageSource Source(StubHttpHandler handler) =>
        new(new HttpClient(handler), new Uri("http://prometheus:9090/"), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5));

    private static string Matrix(string values) => $$$"""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"namespace":"team","workload":"llm","worker":"llm-0"},"values":{{{values}}}}]}}
        """;

    [Fact]
    public async Task Read_RangeQueries_JoinedByWorkerAndTime()
    {
        var handler = new StubHttpHandler(request => StubHttpHandler.Json(HttpStatusCode.OK,
            request.RequestUri!.Query.Contains("tflops", StringComparison.Ordinal)
                ? Matrix("""[[1700000000,"10"],[1700000060,"12"]]""")
                : Matrix("""[[1700000000,"1024"],[1700000060,"2048"]]""")));

        var reading = await Source(handler).ReadAsync(From, From.AddMinutes(1), CancellationToken.None);

        Assert.False(reading.SourceDown);
        Assert.Equal([(10d, 1024d), (12d, 2048d)], reading.Samples.Select(s => (s.Tflops!.Value, s.VramBytes!.Value)));
        Assert.Equal(From.AddMinutes(1), reading.Samples[1].Time);
        var query = Uri.UnescapeDataString(handler.Requests[0].Request.RequestUri!.Query);
        Assert.Contains("max by (namespace, workload, worker) (tensorfusion_worker_tflops_used)", query, StringComparison.Ordinal);
        Assert.Contains("start=1700000000&end=1700000060&step=60", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NanAndEmptySeries_UnknownNeverZero()
    {
        var handler = new StubHttpHandler(request => StubHttpHandler.Json(HttpStatusCode.OK,
            request.RequestUri!.Query.Contains("tflops", StringComparison.Ordinal)
                ? Matrix("""[[1700000000,"NaN"]]""")
                : """{"status":"success","data":{"resultType":"matrix","result":[]}}"""));

        var reading = await Source(handler).ReadAsync(From, From, CancellationToken.None);

        var sample = Assert.Single(reading.Samples);
        Assert.Equal((null, null), (sample.Tflops, sample.VramBytes));
    }

    [Fact]
    public async Task Read_InfiniteSamples_UnknownNeverCounted()
    {
        // Prometheus writes ±Inf as "+Inf"/"-Inf" (a division by a zero rate): no usage figure, like NaN, never a huge one.
        var handler = new StubHttpHandler(request => StubHttpHandler.Json(HttpStatusCode.OK,
            request.RequestUri!.Query.Contains("tflops", StringComparison.Ordinal)
                ? Matrix("""[[1700000000,"+Inf"],[1700000060,"12"]]""")
                : Matrix("""[[1700000000,"1024"],[1700000060,"-Inf"]]""")));

        var reading = await Source(handler).ReadAsync(From, From.AddMinutes(1), CancellationToken.None);

        Assert.False(reading.SourceDown);
        Assert.Equal([(null, 1024d), (12d, null)], reading.Samples.Select(s => (s.Tflops, s.VramBytes)));
    }

    [Fact]
    public async Task Read_SuccessWithWarnings_SamplesReadNotDown()
    {
        // A partial answer (a remote store timed out) still says "success" and carries warnings: its samples count.
        var handler = new StubHttpHandler(_ => StubHttpHandler.Json(HttpStatusCode.OK,
            Matrix("""[[1700000000,"10"]]""").Replace("""{"status":"success",""", """{"status":"success","warnings":["partial response: store timed out"],""", StringComparison.Ordinal)));

        var reading = await Source(handler).ReadAsync(From, From, CancellationToken.None);

        Assert.False(reading.SourceDown);
        Assert.Equal((10d, 10d), (reading.Samples.Single().Tflops, reading.Samples.Single().VramBytes));
    }

    [Fact]
    public async Task Read_PrometheusDown_DownReadingNamesServer()
    {
        var handler = new StubHttpHandler(_ => throw new HttpRequestException("Connection refused"));

        var reading = await Source(handler).ReadAsync(From, From, CancellationToken.None);

        Assert.True(reading.SourceDown);
        Assert.Equal("prometheus at http://prometheus:9090/: Connection refused", reading.Error);
    }

    [Fact]
    public async Task Read_ErrorAnswer_DownWithPrometheusMessage()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Json(HttpStatusCode.BadRequest,
            """{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\""}"""));

        var reading = await Source(handler).ReadAsync(From, From, CancellationToken.None);

        Assert.Equal("prometheus answered bad_data: invalid parameter \"query\"", reading.Error);
    }
}
