using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// A loopback external scaler: <c>POST /scale</c> records the Authorization header and body and answers
/// <see cref="Answer"/> with <see cref="Status"/>; with <see cref="Hang"/> it never answers (until disposed).
/// </summary>
internal sealed class StubExternalScaler : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StubExternalScaler(WebApplication app) => _app = app;

    public string Answer { get; set; } = "{\"needScaleUp\":false,\"needScaleDown\":false,\"reason\":\"fine\"}";

    public int Status { get; set; } = 200;

    public bool Hang { get; set; }

    public ConcurrentQueue<(string? Authorization, string Body)> Calls { get; } = new();

    public Uri Url { get; private set; } = new("http://127.0.0.1/scale");

    public static async Task<StubExternalScaler> StartAsync()
    {
        var app = LoopbackWebApp.Create();
        var stub = new StubExternalScaler(app);
        app.MapPost("/scale", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            stub.Calls.Enqueue((context.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            if (stub.Hang)
            {
                await stub._disposed.Task.WaitAsync(context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            return Results.Text(stub.Answer, "application/json", statusCode: stub.Status);
        });
        stub.Url = new Uri(await LoopbackWebApp.StartAsync(app), "/scale");
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.TrySetResult();
        await LoopbackWebApp.StopAsync(_app);
    }
}
