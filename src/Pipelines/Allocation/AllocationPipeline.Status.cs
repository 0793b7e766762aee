using System.Threading.Channels;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Status aggregates off the decision path: a batch marks its nodes dirty and moves on; one loop writes the newest
/// aggregates of every dirty node (and their pools). Status is a summary that may trail the pods by a batch; what must
/// not be lost (annotations, bindings, plans) is written before a batch completes.
/// </summary>
public sealed partial class AllocationPipeline
{
    private readonly HashSet<string> _dirtyNodes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _statusWrites = new(1, 1);
    private readonly Channel<bool> _statusSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private Task? _statusLoop;
    private int _statusFailures;

    private void MarkStatusDirty(IEnumerable<string> nodes)
    {
        lock (_gate)
        {
            _dirtyNodes.UnionWith(nodes);
            _statusLoop ??= Task.Run(() => WriteStatusLoopAsync(_stopping.Token));
        }

        _statusSignal.Writer.TryWrite(true);
    }

    private async Task WriteStatusLoopAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var _ in _statusSignal.Reader.ReadAllAsync(stopping))
            {
                await WriteDirtyStatusOrRetryAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the next leader writes every aggregate after its rebuild.
        }
    }

    /// <summary>
    /// One write of the dirty nodes' aggregates. A failure — thrown, or reported by the writer as <see cref="WriteOutcome.Failed"/>
    /// (an unreachable API server) — is logged and the nodes marked dirty again, so the loop writes them after
    /// <see cref="AllocationPipelineOptions.WriteRetryDelay"/>: a status fault heals and is never silent, and never ends the loop.
    /// </summary>
    private async Task WriteDirtyStatusOrRetryAsync(CancellationToken stopping)
    {
        string[] nodes = [];
        Exception? failure = null;
        try
        {
            var (report, outcome) = await WriteStatusInOrderAsync(() =>
            {
                nodes = [.. _dirtyNodes];
                _dirtyNodes.Clear();
                return nodes.Length == 0 ? null : CapacityReport.Build(_engine.State, nodes);
            }, stopping);
            if (report is null)
            {
                return;
            }

            if (outcome != WriteOutcome.Failed)
            {
                _metrics?.RecordCapacity(report);
                _statusFailures = 0;
                return;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            failure = e;
        }

        _statusFailures++;
        LogStatusWriteFailed(_logger, _statusFailures, _options.WriteRetryDelay, failure);
        lock (_gate)
        {
            _dirtyNodes.UnionWith(nodes);
        }

        await Task.Delay(_options.WriteRetryDelay, _time, stopping);
        _statusSignal.Writer.TryWrite(true);
    }

    /// <summary>
    /// Builds a report under the gate and writes it, one write at a time, so reports land in the order they were built.
    /// Two paths write status (this loop, and the full write after an inventory change); unordered, an older report
    /// could land after a newer one and stay, since nothing rewrites a node's status until it changes again.
    /// </summary>
    private async Task<(CapacityReport? Report, WriteOutcome Outcome)> WriteStatusInOrderAsync(Func<CapacityReport?> build, CancellationToken cancellationToken)
    {
        await _statusWrites.WaitAsync(cancellationToken);
        try
        {
            CapacityReport? report;
            lock (_gate)
            {
                report = build();
            }

            return report is null ? (null, WriteOutcome.Done) : (report, await _writer.WriteStatusAsync(report, cancellationToken));
        }
        finally
        {
            _statusWrites.Release();
        }
    }

    private async Task StopStatusLoopAsync()
    {
        _statusSignal.Writer.TryComplete();
        if (_statusLoop is { } loop)
        {
            await loop;
        }
    }
}
