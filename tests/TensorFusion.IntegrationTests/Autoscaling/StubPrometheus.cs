using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// A loopback stand-in for Prometheus' <c>/api/v1/query_range</c>: one point per step per worker, with the figures
/// <see cref="Tflops"/> and <see cref="VramBytes"/>; it can answer 503 (down), NaN points or empty results.
/// Every query window is recorded.
/// </summary>
internal sealed class StubPrometheus : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubPrometheus(WebApplication app) => _app = app;

    public enum Behaviour
    {
        Serve,
        Down,
        NanAndEmpty,
    }

    public Behaviour Mode { get; set; } = Behaviour.Serve;

    public double Tflops { get; set; } = 40;

    public double VramBytes { get; set; } = 8d * 1024 * 1024 * 1024;

    public IReadOnlyList<string> Workers { get; set; } = ["llm-0", "llm-1"];

    public ConcurrentQueue<(DateTimeOffset Start, DateTimeOffset End)> Queries { get; } = new();

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static async Task<StubPrometheus> StartAsync()
    {
        var app = LoopbackWebApp.Create();
        var stub = new StubPrometheus(app);
        app.MapGet("/api/v1/query_range", (HttpContext context) => stub.Answer(context.Request.Query));
        stub.BaseAddress = new Uri(await LoopbackWebApp.StartAsync(app), "/");
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackWebApp.StopAsync(_app);
    }

    private IResult Answer(IQueryCollection query)
    {
        var start = Seconds(query["start"]);
        var end = Seconds(query["end"]);
        var step = double.Parse(query["step"].ToString(), CultureInfo.InvariantCulture);
        var isTflops = query["query"].ToString().Contains(WorkerUsageReader.TflopsMetric, StringComparison.Ordinal);
        if (isTflops)
        {
            Queries.Enqueue((DateTimeOffset.FromUnixTimeMilliseconds((long)(start * 1000)), DateTimeOffset.FromUnixTimeMilliseconds((long)(end * 1000))));
        }

        if (Mode == Behaviour.Down)
        {
            return Results.Text("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"storage is down\"}", "application/json", statusCode: 503);
        }

        var result = new JsonArray();
        if (Mode == Behaviour.Serve || isTflops)
        {
            foreach (var worker in Workers)
            {
                var values = new JsonArray();
                for (var t = start; t <= end; t += step)
                {
                    var value = Mode == Behaviour.NanAndEmpty ? "NaN" : (isTflops ? Tflops : VramBytes).ToString(CultureInfo.InvariantCulture);
                    values.Add(new JsonArray(t, value));
                }

                result.Add(new JsonObject
                {
                    ["metric"] = new JsonObject { ["namespace"] = "default", ["workload"] = "llm", ["worker"] = worker },
                    ["values"] = values,
                });
            }
        }

        // NanAndEmpty: TFLOPs series full of NaN, VRAM an empty result (a series that went stale).
        var body = new JsonObject { ["status"] = "success", ["data"] = new JsonObject { ["resultType"] = "matrix", ["result"] = result } };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static double Seconds(Microsoft.Extensions.Primitives.StringValues text) => double.Parse(text.ToString(), CultureInfo.InvariantCulture);
}
