using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Aggregation;

/// <summary>
/// Usage history of one workload, pooled over all its workers: a decaying TFLOPs histogram and a decaying histogram of
/// VRAM peaks.
/// </summary>
/// <remarks>
/// <para>TFLOPs: every sample is added with weight 0.1. A worker's sample that is negative or older than that worker's
/// previous TFLOPs sample is dropped (the histogram cannot un-see a sample, so replays must not double-count).</para>
/// <para>VRAM: a worker contributes its peak per window (default 24 h) with weight 1.0, timestamped at the window end.
/// A higher reading inside the same window subtracts the old peak and adds the new one; a reading past the window end
/// moves the window forward by whole windows and starts a new peak. Out-of-order readings are dropped.</para>
/// <para>Sample count and first/last sample times follow the TFLOPs samples only; they feed the confidence factor.</para>
/// </remarks>
public sealed class WorkloadUsageAggregate
{
    private readonly Dictionary<string, int> _workerSlots = new(StringComparer.Ordinal);
    private readonly long _windowTicks;
    private WorkerUsageState[] _workers = [];
    private long _firstSampleTicks = long.MaxValue;
    private long _lastSampleTicks = long.MinValue;

    public WorkloadUsageAggregate(AggregationOptions options, DateTimeOffset? reference = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.VramPeakWindow, TimeSpan.Zero);
        Options = options;
        _windowTicks = options.VramPeakWindow.Ticks;
        Tflops = new DecayingHistogram(ExponentialBuckets.Tflops, options.HalfLife, reference);
        Vram = new DecayingHistogram(ExponentialBuckets.Vram, options.HalfLife, reference);
    }

    public AggregationOptions Options { get; }

    public DecayingHistogram Tflops { get; }

    public DecayingHistogram Vram { get; }

    /// <summary>Accepted TFLOPs samples.</summary>
    public long TotalSamplesCount { get; private set; }

    public DateTimeOffset? FirstSampleStart
    {
        get => TotalSamplesCount == 0 ? null : new DateTimeOffset(_firstSampleTicks, TimeSpan.Zero);
        private set => _firstSampleTicks = value?.UtcTicks ?? long.MaxValue;
    }

    public DateTimeOffset? LastSampleStart
    {
        get => TotalSamplesCount == 0 ? null : new DateTimeOffset(_lastSampleTicks, TimeSpan.Zero);
        private set => _lastSampleTicks = value?.UtcTicks ?? long.MinValue;
    }

    public int WorkerCount => _workerSlots.Count;

    public bool IsEmpty => Tflops.IsEmpty && Vram.IsEmpty;

    /// <summary>A stable slot number for <paramref name="worker"/>, so hot loops can skip the name lookup.</summary>
    public int WorkerSlot(string worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (_workerSlots.TryGetValue(worker, out var slot))
        {
            return slot;
        }

        slot = _workerSlots.Count;
        if (slot == _workers.Length)
        {
            Array.Resize(ref _workers, Math.Max(2, _workers.Length * 2));
        }

        _workers[slot] = WorkerUsageState.Fresh;
        _workerSlots.Add(worker, slot);
        return slot;
    }

    /// <summary>Adds one reading of a worker; returns how many of its two parts were accepted (0, 1 or 2).</summary>
    public int AddSample(string worker, DateTimeOffset time, double tflops, double vramBytes) =>
        AddSample(WorkerSlot(worker), time, tflops, vramBytes);

    /// <inheritdoc cref="AddSample(string, DateTimeOffset, double, double)"/>
    public int AddSample(int workerSlot, DateTimeOffset time, double tflops, double vramBytes) =>
        (AddTflopsSample(workerSlot, time, tflops) ? 1 : 0) + (AddVramSample(workerSlot, time, vramBytes) ? 1 : 0);

    public bool AddTflopsSample(int workerSlot, DateTimeOffset time, double tflops)
    {
        ref var worker = ref _workers[CheckedSlot(workerSlot)];
        var ticks = time.UtcTicks;
        if (!(tflops >= 0) || ticks < worker.LastTflopsTicks)
        {
            return false;
        }

        worker.LastTflopsTicks = ticks;
        Tflops.AddSample(tflops, AggregationOptions.TflopsSampleWeight, time);
        TotalSamplesCount++;
        _firstSampleTicks = Math.Min(_firstSampleTicks, ticks);
        _lastSampleTicks = Math.Max(_lastSampleTicks, ticks);
        return true;
    }

    public bool AddVramSample(int workerSlot, DateTimeOffset time, double vramBytes)
    {
        ref var worker = ref _workers[CheckedSlot(workerSlot)];
        var ticks = time.UtcTicks;
        if (!(vramBytes >= 0) || double.IsInfinity(vramBytes) || ticks < worker.LastVramTicks)
        {
            return false;
        }

        worker.LastVramTicks = ticks;
        if (worker.VramWindowEndTicks != long.MinValue && ticks < worker.VramWindowEndTicks)
        {
            if (vramBytes <= worker.VramPeak)
            {
                return true;
            }

            var windowEnd = new DateTimeOffset(worker.VramWindowEndTicks, TimeSpan.Zero);
            Vram.SubtractSample(worker.VramPeak, AggregationOptions.VramPeakWeight, windowEnd);
            Vram.AddSample(vramBytes, AggregationOptions.VramPeakWeight, windowEnd);
            worker.VramPeak = vramBytes;
            return true;
        }

        // A new window: the first one ends one window after the first reading; later ones advance by whole windows.
        worker.VramWindowEndTicks = worker.VramWindowEndTicks == long.MinValue
            ? ticks + _windowTicks
            : worker.VramWindowEndTicks + ((ticks - worker.VramWindowEndTicks) / _windowTicks + 1) * _windowTicks;
        worker.VramPeak = vramBytes;
        Vram.AddSample(vramBytes, AggregationOptions.VramPeakWeight, new DateTimeOffset(worker.VramWindowEndTicks, TimeSpan.Zero));
        return true;
    }

    /// <summary>Saves both histograms and the sample statistics.</summary>
    public AggregateCheckpoint SaveCheckpoint() => new(
        AggregateCheckpoint.CurrentVersion,
        HistogramCheckpoint.Save(Tflops),
        HistogramCheckpoint.Save(Vram),
        TotalSamplesCount,
        FirstSampleStart,
        LastSampleStart);

    /// <summary>Rebuilds an aggregate from a checkpoint; a checkpoint of another version is refused with a clear error.</summary>
    public static WorkloadUsageAggregate Restore(AggregateCheckpoint checkpoint, AggregationOptions options)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Version != AggregateCheckpoint.CurrentVersion)
        {
            throw new ArgumentException(
                $"aggregate checkpoint version {checkpoint.Version} is not supported (expected {AggregateCheckpoint.CurrentVersion})",
                nameof(checkpoint));
        }

        var aggregate = new WorkloadUsageAggregate(options);
        checkpoint.Tflops.RestoreInto(aggregate.Tflops);
        checkpoint.Vram.RestoreInto(aggregate.Vram);
        aggregate.FirstSampleStart = checkpoint.FirstSampleStart;
        aggregate.LastSampleStart = checkpoint.LastSampleStart;
        aggregate.TotalSamplesCount = checkpoint.TotalSamplesCount;
        return aggregate;
    }

    private int CheckedSlot(int workerSlot)
    {
        if ((uint)workerSlot >= (uint)_workerSlots.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(workerSlot), workerSlot, "unknown worker slot; get one from WorkerSlot(name)");
        }

        return workerSlot;
    }
}
