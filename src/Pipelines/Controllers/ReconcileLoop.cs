using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using TensorFusion.Pipelines.Queue;

namespace TensorFusion.Pipelines.Controllers;

/// <summary>
/// Takes keys from a <see cref="WorkQueue{TKey}"/> and runs them through a reconciler in a bounded Dataflow block.
/// The body never throws: every outcome is classified (success → forget, error → rate-limited retry, RequeueAfter →
/// forget + delayed add, terminal → forget) and counted. Stopping stops taking keys and drains in-flight reconciles;
/// <see cref="Abort"/> cancels them at once (lost leadership).
/// </summary>
public sealed partial class ReconcileLoop<TKey> : IDisposable
    where TKey : notnull
{
    private readonly WorkQueue<TKey> _queue;
    private readonly IReconciler<TKey> _reconciler;
    private readonly ReconcileLoopOptions _options;
    private readonly IReconcileMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _abort = new();

    public ReconcileLoop(WorkQueue<TKey> queue, IReconciler<TKey> reconciler, ReconcileLoopOptions options, TimeProvider time, IReconcileMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConcurrentReconciles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrentReconciles, "MaxConcurrentReconciles must be at least 1");
        }

        _queue = queue;
        _reconciler = reconciler;
        _options = options;
        _time = time;
        _metrics = metrics ?? NoReconcileMetrics.Instance;
    }

    /// <summary>Runs until <paramref name="stopping"/> fires, then lets in-flight reconciles finish and returns.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var worker = new ActionBlock<TKey>(
            ProcessAsync,
            new ExecutionDataflowBlockOptions
            {
                MaxDegreeOfParallelism = _options.MaxConcurrentReconciles,
                BoundedCapacity = _options.MaxConcurrentReconciles,
                EnsureOrdered = false,
            });
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var (taken, key) = await _queue.TakeAsync(stopping);
                if (!taken)
                {
                    break;
                }

                if (!await worker.SendAsync(key, CancellationToken.None))
                {
                    _queue.Done(key);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stop taking keys; what is in the block still runs to completion below.
        }

        worker.Complete();
        await worker.Completion;
    }

    /// <summary>Cancels in-flight reconciles now (the caller lost the right to write).</summary>
    public void Abort() => _abort.Cancel();

    public void Dispose() => _abort.Dispose();

    private async Task ProcessAsync(TKey key)
    {
        var started = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ReconcileTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _abort.Token);
            var result = await _reconciler.ReconcileAsync(key, linked.Token);
            outcome = Apply(key, result);
        }
        catch (TerminalReconcileException e)
        {
            LogTerminal(_options.Logger, key, e.Message);
            _queue.Forget(key);
            outcome = ReconcileOutcome.Terminal;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Aborted: the next leader reconciles this key from scratch.
            outcome = ReconcileOutcome.Error;
        }
#pragma warning disable CA1031 // A Dataflow body must never throw: every failure becomes a retry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Retried with backoff; the log says why, so a stuck key is never silent.
            LogFailed(_options.Logger, key, _queue.NumRequeues(key) + 1, e);
            _queue.AddRateLimited(key);
            outcome = ReconcileOutcome.Error;
        }
        finally
        {
            _queue.Done(key);
        }

        _metrics.Observe(outcome, Stopwatch.GetElapsedTime(started));
    }

    private string Apply(TKey key, ReconcileResult result)
    {
        if (result.RequeueAfter > TimeSpan.Zero)
        {
            _queue.Forget(key);
            _queue.AddAfter(key, result.RequeueAfter);
            return ReconcileOutcome.RequeueAfter;
        }

        if (result.Requeue)
        {
            _queue.AddRateLimited(key);
            return ReconcileOutcome.Requeue;
        }

        _queue.Forget(key);
        return ReconcileOutcome.Success;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "reconcile of {Key} failed (attempt {Attempt}); retrying with backoff")]
    private static partial void LogFailed(ILogger logger, TKey key, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconcile of {Key} failed for good: {Reason}")]
    private static partial void LogTerminal(ILogger logger, TKey key, string reason);
}
