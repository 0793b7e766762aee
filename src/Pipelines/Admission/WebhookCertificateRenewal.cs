using Microsoft.Extensions.Logging;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Checks the webhook certificates every <see cref="CheckInterval"/> (on the injected clock) and, when one was renewed,
/// publishes the new caBundle through <paramref name="publish"/>. A failed publish is logged and retried at the next
/// check; the serving certificate still has a third of its life left at that point, so there is time.
/// </summary>
public sealed class WebhookCertificateRenewal(WebhookCertificates certificates, Func<byte[], CancellationToken, Task> publish, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);

    private bool pending;

    /// <summary>One check: renew if due, publish if anything changed (or a previous publish failed).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (certificates.RenewIfDue())
        {
            WebhookLog.Renewed(logger, certificates.ServingNotAfter);
            pending = true;
        }

        if (!pending)
        {
            return;
        }

        try
        {
            await publish(certificates.CaBundle, cancellationToken);
            pending = false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            WebhookLog.PublishFailed(logger, 0, exception);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(CheckInterval, time, cancellationToken);
            await CheckAsync(cancellationToken);
        }
    }
}
