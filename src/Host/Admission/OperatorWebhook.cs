using Microsoft.Extensions.Logging;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Pipelines.Admission;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Host.Admission;

/// <summary>
/// The pod admission webhook as the operator process runs it: its own certificates, the HTTPS endpoint, and the loop
/// that renews them and keeps the MutatingWebhookConfiguration's caBundle current. Every replica serves it (the API
/// server may call any pod behind the Service), leader or not: admission does not wait for leadership.
/// </summary>
public sealed class OperatorWebhook : IAsyncDisposable
{
    private readonly WebhookCertificates _certificates;
    private readonly PodWebhookServer _server;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _renewal;

    private OperatorWebhook(WebhookCertificates certificates, PodWebhookServer server, CancellationTokenSource stopping, Task renewal)
    {
        _certificates = certificates;
        _server = server;
        _stopping = stopping;
        _renewal = renewal;
    }

    /// <summary>Where it listens, e.g. https://127.0.0.1:9443.</summary>
    public Uri BaseUri => _server.BaseUri!;

    public static async Task<OperatorWebhook> StartAsync(OperatorWebhookSettings settings, KubeRestClient client, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var certificates = new WebhookCertificates(time, settings.CertificateNames);
        var reviewer = new PodAdmissionReviewer(new RestAdmissionCluster(client, GpuModelCatalog.Default), settings.Admission, logger);
        var server = new PodWebhookServer(reviewer, certificates, logger);
        try
        {
            await server.StartAsync(settings.Endpoint, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            certificates.Dispose();
            throw;
        }

        var publisher = new WebhookConfigurationPublisher(client, logger, time);
        var renewal = new WebhookCertificateRenewal(
            certificates,
            (bundle, token) => publisher.PublishAsync("mutatingwebhookconfigurations", settings.ConfigurationName, bundle, token),
            time,
            logger);
        var stopping = new CancellationTokenSource();
        return new OperatorWebhook(certificates, server, stopping, Task.Run(() => renewal.RunAsync(stopping.Token), CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _server.DisposeAsync();
        _certificates.Dispose();
        _stopping.Dispose();
    }
}
