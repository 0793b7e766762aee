using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Host.Admission;
using TensorFusion.Pipelines.Admission;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Host.Tests.Admission;

/// <summary>What the pod webhook's listener offers a client, before any review is sent.</summary>
public sealed class PodWebhookListenerTests
{
    [Fact]
    public async Task Handshake_ClientOffersHttp2AndHttp11_GetsHttp11OverTls12OrLaterWithAServingCertificateFromTheCa()
    {
        // kube-apiserver and controller-runtime turned HTTP/2 off on webhooks after the rapid-reset attack
        // (CVE-2023-44487): a client offering h2 first by ALPN must be answered with http/1.1.
        using var certificates = new WebhookCertificates(TimeProvider.System, ["127.0.0.1", "localhost"]);
        using var http = new HttpClient();
        var nowhere = new KubeRestClient(http, new Uri("https://127.0.0.1:1/"));
        var reviewer = new PodAdmissionReviewer(new RestAdmissionCluster(nowhere, GpuModelCatalog.Default), new PodAdmissionOptions(), NullLogger<PodAdmissionReviewer>.Instance);
        await using var server = new PodWebhookServer(reviewer, certificates, NullLogger.Instance);
        await server.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        using var ca = X509CertificateLoader.LoadCertificate(certificates.CaBundle);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.BaseUri!.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
        });

        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);
        Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {tls.SslProtocol}");
    }
}
