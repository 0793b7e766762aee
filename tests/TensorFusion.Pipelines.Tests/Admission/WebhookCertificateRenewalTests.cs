using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Pipelines.Tests.Admission;

public sealed class WebhookCertificateRenewalTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_FirstPublishFails_RetriedAfterTenSecondsNotAnHour()
    {
        // `kubectl apply -k` creates the MutatingWebhookConfiguration after the operator's Deployment, so the first
        // publish can find nothing; GPU pods are refused until it succeeds, so it is retried soon.
        var clock = new FakeTimeProvider(Start);
        using var certificates = new WebhookCertificates(clock, ["127.0.0.1"]);
        var calls = 0;
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewal = new WebhookCertificateRenewal(certificates, (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("mutatingwebhookconfigurations tensor-fusion-pod-webhook does not exist");
            }

            retried.TrySetResult();
            return Task.CompletedTask;
        }, clock, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var run = renewal.RunAsync(stop.Token);
        var pendingAfterFirst = renewal.PublishPending;
        clock.Advance(WebhookCertificateRenewal.RetryInterval - TimeSpan.FromSeconds(1));
        var callsBeforeInterval = Volatile.Read(ref calls);
        clock.Advance(TimeSpan.FromSeconds(1));
        if (await Task.WhenAny(retried.Task, Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System)) != retried.Task)
        {
            throw new TimeoutException("awaited the second publish, due 10 s of fake time after the failed first one");
        }

        await stop.CancelAsync();
        await run.ContinueWith(static _ => { }, TaskScheduler.Default);

        Assert.True(pendingAfterFirst);
        Assert.Equal(1, callsBeforeInterval); // 9 s: not yet
        Assert.Equal(2, Volatile.Read(ref calls)); // 10 s: once more, and then the hourly interval
    }
}
