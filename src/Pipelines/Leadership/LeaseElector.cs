using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Leadership;

/// <summary>
/// Leader election on a coordination.k8s.io Lease, client-go style: a Lease counts as expired when its record has
/// not changed for LeaseDuration as seen on this process's own clock (robust to clock skew between processes).
/// Updates carry the resourceVersion, so two candidates racing get one 409. The leader renews every RetryPeriod;
/// if it cannot renew within RenewDeadline it stops leading at once (the work token is cancelled before another
/// candidate can take over, since RenewDeadline &lt; LeaseDuration). On cancellation the work's token fires and the
/// work drains while this process goes on renewing (a standby never writes alongside a draining leader); then the
/// Lease is released (holder cleared) so a standby takes over without waiting out the duration. A leader's work that crashes is never a clean stop: the Lease
/// is released (a standby takes over at once) and the crash is rethrown to the caller, which exits non-zero.
/// </summary>
public sealed partial class LeaseElector(KubeRestClient client, string leaseNamespace, string leaseName, string identity, TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod, TimeProvider time, Random random, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly string _path = ResourceDescriptor.Leases.ObjectPath(leaseNamespace, leaseName);
    private string? _observedRecord;
    private long _observedAt;
    private long _lastRenew;

    public bool IsLeader { get; private set; }

    /// <summary>
    /// The Lease's <c>leaseTransitions</c> as this process last wrote it while acquiring or renewing: it rises with
    /// every change of holder, so it numbers leadership terms without any clock (plan generations build on it).
    /// </summary>
    public long Transitions { get; private set; }

    /// <summary>
    /// Waits to become leader, runs <paramref name="lead"/> with a token that is cancelled when leadership is lost or
    /// <paramref name="cancellationToken"/> fires, and returns <c>true</c> if leadership was lost (the caller should
    /// exit), <c>false</c> on a clean stop. If <paramref name="lead"/> throws, the Lease is released and the exception
    /// is rethrown.
    /// </summary>
    public async Task<bool> RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        while (!await TryAcquireOrRenewAsync(cancellationToken))
        {
            await Task.Delay(Jittered(retryPeriod), time, cancellationToken);
        }

        IsLeader = true;
        var deposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Deposed = deposed.Task;
        LogAcquired(_logger, leaseNamespace, leaseName, identity);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Start(lead, leading.Token);
        var lost = false;
        _lastRenew = time.GetTimestamp();
        try
        {
            lost = await RenewWhileWorkingAsync(work, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Clean stop: the work drains below.
        }
        finally
        {
            if (lost)
            {
                // Deposed before the work's token fires, so the work aborts instead of draining.
                deposed.TrySetResult();
            }

            await leading.CancelAsync();
        }

        if (!lost && !work.IsCompleted)
        {
            // A graceful stop: the work drains (its token is cancelled) while this process keeps renewing, so no standby
            // writes alongside it; a renewal lost meanwhile deposes it at once.
            lost = await RenewWhileWorkingAsync(work, CancellationToken.None);
            if (lost)
            {
                deposed.TrySetResult();
            }
        }

        IsLeader = false;
        await work.ContinueWith(static _ => { }, TaskScheduler.Default);
        if (!lost)
        {
            await ReleaseAsync();
            LogReleased(_logger, leaseNamespace, leaseName);
        }

        if (work.IsFaulted)
        {
            // A crash of the leader's work is not a clean stop: the caller must see it and exit non-zero.
            var crash = work.Exception!.GetBaseException();
            LogWorkCrashed(_logger, crash);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(crash).Throw();
        }

        return lost;
    }

    /// <summary>
    /// Completes when the current term loses its Lease (not renewed within RenewDeadline, also while draining after a
    /// stop); never completes for a term that ends by a graceful stop. The leader's work aborts on it rather than drain.
    /// </summary>
    public Task Deposed { get; private set; } = new TaskCompletionSource().Task;

    /// <summary>Renews every RetryPeriod until the work ends or <paramref name="stopping"/> fires; true when the Lease was lost.</summary>
    private async Task<bool> RenewWhileWorkingAsync(Task work, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested && !work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(retryPeriod, time, stopping));
            if (work.IsCompleted || stopping.IsCancellationRequested)
            {
                return false;
            }

            if (await TryRenewWithinAsync(stopping))
            {
                _lastRenew = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(_lastRenew) >= renewDeadline)
            {
                LogLost(_logger, leaseNamespace, leaseName, renewDeadline);
                return true;
            }
        }

        return false;
    }

    /// <summary>The leader's work as a task, even when it throws before its first await (then the task is faulted).</summary>
    private static Task Start(Func<CancellationToken, Task> lead, CancellationToken leading)
    {
        try
        {
            return lead(leading);
        }
#pragma warning disable CA1031 // Not swallowed: the faulted task is rethrown by RunAsync after the Lease is released.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException(e);
        }
    }

    private async Task<bool> TryRenewWithinAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewAsync(cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsTransientOrTimeout(e, cancellationToken))
        {
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        V1Lease? lease;
        try
        {
            lease = await client.TryGetAsync<V1Lease>(_path, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsTransientOrTimeout(e, cancellationToken))
        {
            return false;
        }

        var spec = new V1LeaseSpec
        {
            HolderIdentity = identity,
            LeaseDurationSeconds = (int)Math.Ceiling(leaseDuration.TotalSeconds),
            RenewTime = now,
            AcquireTime = now,
            LeaseTransitions = 0,
        };
        try
        {
            if (lease is null)
            {
                await client.CreateAsync(ResourceDescriptor.Leases.CollectionPath(leaseNamespace), new V1Lease
                {
                    ApiVersion = "coordination.k8s.io/v1",
                    Kind = "Lease",
                    Metadata = new V1ObjectMeta { Name = leaseName, NamespaceProperty = leaseNamespace },
                    Spec = spec,
                }, cancellationToken);
                Transitions = 0;
                return true;
            }

            var holder = lease.Spec?.HolderIdentity;
            var record = $"{holder}|{lease.Spec?.RenewTime:O}|{lease.Spec?.LeaseTransitions}";
            if (record != _observedRecord)
            {
                _observedRecord = record;
                _observedAt = time.GetTimestamp();
            }

            var heldByOther = !string.IsNullOrEmpty(holder) && holder != identity;
            if (heldByOther && time.GetElapsedTime(_observedAt) < TimeSpan.FromSeconds(lease.Spec?.LeaseDurationSeconds ?? leaseDuration.TotalSeconds))
            {
                return false;
            }

            spec.AcquireTime = holder == identity ? lease.Spec?.AcquireTime ?? now : now;
            spec.LeaseTransitions = (lease.Spec?.LeaseTransitions ?? 0) + (holder == identity ? 0 : 1);
            lease.Spec = spec;
            await client.ReplaceAsync(_path, lease, cancellationToken);
            Transitions = spec.LeaseTransitions ?? 0;
            return true;
        }
        catch (ApiStatusException e) when (e.IsConflict)
        {
            return false;
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var lease = await client.TryGetAsync<V1Lease>(_path, timeout.Token);
            if (lease?.Spec?.HolderIdentity != identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = time.GetUtcNow().UtcDateTime;
            await client.ReplaceAsync(_path, lease, timeout.Token);
        }
        catch (Exception e) when (ApiErrors.IsTransient(e) || e is OperationCanceledException)
        {
            // Best effort: a standby takes over after LeaseDuration anyway.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader election: acquired the Lease {Namespace}/{Name} as {Identity}")]
    private static partial void LogAcquired(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader election: lost the Lease {Namespace}/{Name} (not renewed within {RenewDeadline}); stopping all writes")]
    private static partial void LogLost(ILogger logger, string @namespace, string name, TimeSpan renewDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader election: released the Lease {Namespace}/{Name}")]
    private static partial void LogReleased(ILogger logger, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader election: the leader's work crashed; Lease released, rethrowing")]
    private static partial void LogWorkCrashed(ILogger logger, Exception exception);

    private TimeSpan Jittered(TimeSpan period) => period * (1 + (0.2 * random.NextDouble()));
}
