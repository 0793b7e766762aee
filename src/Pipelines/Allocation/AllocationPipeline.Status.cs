using System.Threading.Channels;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Status aggregates off the decision path: a batch (or an inventory change) marks its nodes dirty and moves on; one
/// loop writes the newest aggregates of every dirty node (and their pools). One writer after the rebuild, so reports
/// land in the order they were built (with a second, inline writer an older report could land after a newer one and
/// stay). Status is a summary that may trail the pods by a batch; what must not be lost (annotations, bindings, plans)
/// is written before a batch completes.
/// </summary>
public sealed partial class AllocationPipeline
{
    private readonly HashSet<string> _dirtyNodes = new(StringComparer.Ordinal);
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
        CapacityReport report;
        lock (_gate)
        {
            if (_dirtyNodes.Count == 0)
            {
                return;
            }

            report = CapacityReport.Build(_engine.State, [.. _dirtyNodes]);
            _dirtyNodes.Clear();
        }

        Exception? failure = null;
        try
        {
            if (await _writer.WriteStatusAsync(report, stopping) != WriteOutcome.Failed)
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
            _dirtyNodes.UnionWith(report.Nodes.Select(node => node.Name));
        }

        await Task.Delay(_options.WriteRetryDelay, _time, stopping);
        _statusSignal.Writer.TryWrite(true);
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
