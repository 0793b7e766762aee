using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

using Microsoft.Extensions.DependencyInjection;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Host.Admission;

/// <summary>
/// The HTTPS endpoint the API server calls: POST <c>/mutate-v1-pod</c> and <c>/validate-v1-pod</c> with an
/// AdmissionReview v1. It presents <see cref="WebhookCertificates.Serving"/> on every handshake, so a renewal takes
/// effect without a restart. A request it cannot read is answered 400; a failure while answering is a 500 the API
/// server treats per the configuration's failurePolicy.
/// </summary>
public sealed partial class PodWebhookServer(PodAdmissionReviewer reviewer, WebhookCertificates certificates, ILogger logger) : IAsyncDisposable
{
    public const string MutatePath = "/mutate-v1-pod";
    public const string ValidatePath = "/validate-v1-pod";

    private WebApplication? app;

    /// <summary>The bound address, e.g. https://127.0.0.1:9443 (known after <see cref="StartAsync"/>).</summary>
    public Uri? BaseUri { get; private set; }

    public async Task StartAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // TLS 1.2 or later, and HTTP/1.1 only: HTTP/2 is off on webhook listeners, as kube-apiserver's and
        // controller-runtime's are since the HTTP/2 rapid-reset attack (CVE-2023-44487); the API server speaks HTTP/1.1.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https =>
            {
                https.ServerCertificateSelector = (_, _) => certificates.Serving;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            });
        }));
        app = builder.Build();
        app.MapPost(MutatePath, context => AnswerAsync(context, reviewer.MutateAsync, logger));
        app.MapPost(ValidatePath, context => AnswerAsync(context, reviewer.ValidateAsync, logger));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: tests stop the webhook early to see the API server without it.
        if (Interlocked.Exchange(ref app, null) is { } running)
        {
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    private static async Task AnswerAsync(HttpContext context, Func<JsonObject, CancellationToken, Task<JsonObject>> review, ILogger logger)
    {
        JsonObject? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException exception)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"not an AdmissionReview: {exception.Message}", context.RequestAborted);
            return;
        }

        if (request is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("not an AdmissionReview: the body is not a JSON object", context.RequestAborted);
            return;
        }

        try
        {
            var answer = await review(request, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
        }
        catch (JsonException exception)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"not an AdmissionReview: {exception.Message}", context.RequestAborted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The API server applies failurePolicy to a 500; the log says what broke.
            LogAnswerFailed(logger, context.Request.Path, exception);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"admission failed: {exception.Message}", context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Admission request to {Path} failed")]
    private static partial void LogAnswerFailed(ILogger logger, string path, Exception exception);
}
