using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Agent.Tls;

/// <summary>
/// The agent's serving certificate from the cluster's CSR API: a fresh ECDSA P-256 key made here (it never leaves this
/// process: no file, no API object), a CertificateSigningRequest for signer <see cref="AgentServingIdentity.SignerName"/>
/// naming the node (<c>CN=system:tensor-fusion-agent:NODE</c>, DNS name NODE, server auth), then a watch on that request
/// until the operator's signer writes the certificate. At two thirds of the certificate's life a new key and request
/// replace it; a failed renewal is logged, counted and retried with backoff while the old certificate still serves.
/// A denied request, or none signed within <see cref="WaitTimeout"/>, fails <see cref="StartAsync"/> with the reason.
/// </summary>
public sealed partial class CsrServingCertificate(IKubernetes client, string nodeName, TimeProvider time, ILogger? logger = null) : IServingCertificateSource
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly CancellationTokenSource _stopping = new();
    private X509Certificate2? _current;
    private Task _renewing = Task.CompletedTask;

    /// <summary>Raised after a renewed certificate replaced the old one (tests await it).</summary>
    public event EventHandler<X509Certificate2>? Renewed;

    /// <summary>Lifetime asked for (spec.expirationSeconds); the signer may give less.</summary>
    public TimeSpan RequestedLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long one request may wait for the signer.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int RenewalFailures { get; private set; }

    public X509Certificate2 Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("the serving certificate has not been issued yet: call StartAsync first");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _current, await RequestAsync(cancellationToken));
        _renewing = RenewLoopAsync(_stopping.Token);
    }

    /// <summary>When the current certificate is renewed: two thirds into its validity.</summary>
    public static DateTimeOffset RenewalTime(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return notBefore + (notAfter - notBefore) * 2 / 3;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        var retry = TimeSpan.FromSeconds(10);
        var due = RenewalTime(Current);
        while (!stopping.IsCancellationRequested)
        {
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stopping);
            }

            try
            {
                var renewed = await RequestAsync(stopping);
                Volatile.Write(ref _current, renewed);
                retry = TimeSpan.FromSeconds(10);
                due = RenewalTime(renewed);
                Renewed?.Invoke(this, renewed);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                RenewalFailures++;
                LogRenewalFailed(_logger, nodeName, RenewalFailures, Current.NotAfter.ToUniversalTime(), retry, error);
                due = time.GetUtcNow() + retry;
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromMinutes(10).Ticks));
            }
        }
    }

    private async Task<X509Certificate2> RequestAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + AgentServingIdentity.CommonName(nodeName), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(nodeName);
        request.CertificateExtensions.Add(names.Build());
        var csr = new V1CertificateSigningRequest
        {
            ApiVersion = "certificates.k8s.io/v1",
            Kind = "CertificateSigningRequest",
            Metadata = new V1ObjectMeta { GenerateName = $"tf-agent-{nodeName}-" },
            Spec = new V1CertificateSigningRequestSpec
            {
                Request = Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()),
                SignerName = AgentServingIdentity.SignerName,
                Usages = [.. AgentServingIdentity.Usages],
                ExpirationSeconds = (int)RequestedLifetime.TotalSeconds,
            },
        };
        V1CertificateSigningRequest created;
        try
        {
            created = await client.CertificatesV1.CreateCertificateSigningRequestAsync(csr, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException refused)
        {
            throw new InvalidOperationException(
                $"cannot create a CertificateSigningRequest for node {nodeName} ({(int)refused.Response.StatusCode}): {refused.Response.Content} " +
                "(the agent's ServiceAccount needs create/get/watch on certificatesigningrequests)", refused);
        }

        var name = created.Metadata.Name;
        LogWaiting(_logger, nodeName, name, AgentServingIdentity.SignerName);
        using var timeout = new CancellationTokenSource(WaitTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] pem;
        try
        {
            pem = await WaitForCertificateAsync(name, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"no certificate for CertificateSigningRequest {name} within {WaitTimeout.TotalSeconds:0} s: the operator signs requests of signer " +
                $"{AgentServingIdentity.SignerName} (is it running, and does its ServiceAccount hold 'sign' on that signer?)");
        }

        using var issued = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem));
        if (!issued.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(request.PublicKey.EncodedKeyValue.RawData))
        {
            throw new InvalidOperationException($"CertificateSigningRequest {name}: the issued certificate is not for the key this agent made");
        }

        using var withKey = issued.CopyWithPrivateKey(key);
        var notAfter = issued.NotAfter.ToUniversalTime();
        LogIssued(_logger, nodeName, name, notAfter);
        // Re-imported so SslStream can use the key on every platform; the key stays in this process only.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Reads the request, then watches it until it carries a certificate or is denied.</summary>
    private async Task<byte[]> WaitForCertificateAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await client.CertificatesV1.ReadCertificateSigningRequestAsync(name, cancellationToken: cancellationToken);
            if (Outcome(current) is { } issued)
            {
                return issued;
            }

            var watch = client.CertificatesV1.WatchListCertificateSigningRequestAsync(
                fieldSelector: $"metadata.name={name}", resourceVersion: current.Metadata.ResourceVersion, timeoutSeconds: 60, cancellationToken: cancellationToken);
            await foreach (var (_, item) in watch)
            {
                if (Outcome(item) is { } certificate)
                {
                    return certificate;
                }
            }
        }
    }

    private static byte[]? Outcome(V1CertificateSigningRequest csr)
    {
        if (csr.Status?.Conditions?.FirstOrDefault(condition => condition.Type is "Denied" or "Failed") is { } refusal)
        {
            throw new InvalidOperationException($"CertificateSigningRequest {csr.Metadata.Name} was {refusal.Type.ToLowerInvariant()} ({refusal.Reason}): {refusal.Message}");
        }

        return csr.Status?.Certificate is { Length: > 0 } certificate ? certificate : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {Node}: requested a serving certificate (CertificateSigningRequest {Name}, signer {Signer}); waiting for the operator to sign it")]
    private static partial void LogWaiting(ILogger logger, string node, string name, string signer);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {Node}: serving certificate from {Name} issued, valid until {NotAfter:u}")]
    private static partial void LogIssued(ILogger logger, string node, string name, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent {Node}: serving certificate renewal failed ({Failures} so far; the current one is valid until {NotAfter:u}); retrying in {Retry}")]
    private static partial void LogRenewalFailed(ILogger logger, string node, int failures, DateTime notAfter, TimeSpan retry, Exception error);
}
