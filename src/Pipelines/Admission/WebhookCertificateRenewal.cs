using Microsoft.Extensions.Logging;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Keeps the API server trusting this process's webhook certificate: every check renews what is due and publishes the
/// caBundle through <paramref name="publish"/> (a no-op write when the configuration already carries it). Publishing on
/// every check, not only after a renewal, also repairs a bundle someone re-applied or another replica trimmed. Checks
/// run every <see cref="CheckInterval"/> on the injected clock, and every <see cref="RetryInterval"/> while a publish
/// keeps failing (logged each time); the serving certificate has a third of its life left when it is renewed, so a
/// publish that fails for a while loses nothing.
/// </summary>
public sealed class WebhookCertificateRenewal(WebhookCertificates certificates, Func<byte[], CancellationToken, Task> publish, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    /// <summary>True after a check whose publish failed (the next check comes after <see cref="RetryInterval"/>).</summary>
    public bool PublishPending { get; private set; }

    /// <summary>One check: renew if due, then publish the bundle.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (certificates.RenewIfDue())
        {
            WebhookLog.Renewed(logger, certificates.ServingNotAfter);
        }

        try
        {
            await publish(certificates.CaBundle, cancellationToken);
            PublishPending = false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PublishPending = true;
            WebhookLog.PublishFailed(logger, 0, exception);
        }
    }

    /// <summary>Checks at once (the first publish of this process's CA), then on the intervals above until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await CheckAsync(cancellationToken);
            await Task.Delay(PublishPending ? RetryInterval : CheckInterval, time, cancellationToken);
        }
    }
}
