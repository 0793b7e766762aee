using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Aggregation;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// Keeps usage history across operator restarts when the metrics source cannot replay it (agent scrape): each
/// autoscaled workload carries its histograms in the annotation <see cref="Annotations.UsageCheckpoint"/>, written at
/// most every <see cref="AutoscalingOptions.CheckpointInterval"/> and only when new samples arrived, and read back the
/// first time the book has no history for it. Like VPA's checkpoints, per-worker peak windows are not kept. A
/// checkpoint that does not parse or has another version is ignored (and counted): history then starts afresh.
/// </summary>
public sealed class UsageCheckpoints(KubeRestClient client, TimeProvider time, TimeSpan interval, AggregationOptions options, AutoscalingMetrics? metrics = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, long> _savedSamples = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastSave;

    /// <summary>Checkpoints restored into the book.</summary>
    public int Restored { get; private set; }

    /// <summary>Checkpoints ignored because they did not parse or had another version.</summary>
    public int Rejected { get; private set; }

    public int Written { get; private set; }

    public int FailedWrites { get; private set; }

    /// <summary>The last rejected checkpoint or failed write, for logs and tests.</summary>
    public string? LastError { get; private set; }

    public static string Encode(AggregateCheckpoint checkpoint) => JsonSerializer.Serialize(checkpoint, Json);

    /// <summary>Gives <paramref name="book"/> the saved history of <paramref name="workload"/> if it has none yet.</summary>
    public void RestoreIfMissing(WorkloadUsageBook book, TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(workload);
        var key = $"{workload.Metadata.NamespaceProperty}/{workload.Metadata.Name}";
        if (book.AggregateOf(key) is not null || workload.Metadata.Annotation(Annotations.UsageCheckpoint) is not { Length: > 0 } text)
        {
            return;
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize<AggregateCheckpoint>(text, Json) ?? throw new JsonException("the checkpoint is null");
            var aggregate = WorkloadUsageAggregate.Restore(checkpoint, options);
            if (book.TryRestore(key, aggregate))
            {
                _savedSamples[key] = aggregate.TotalSamplesCount;
                Restored++;
                metrics?.CountCheckpoint("restored");
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            Rejected++;
            metrics?.CountCheckpoint("rejected");
            LastError = $"{key}: usage checkpoint ignored: {e.Message}";
        }
    }

    /// <summary>Once per interval (the first one after the first pass): writes the checkpoint of every target whose history gained samples since the last write.</summary>
    public async Task SaveIfDueAsync(WorkloadUsageBook book, IReadOnlyList<AutoscaleTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(targets);
        var now = time.GetUtcNow();
        if (_lastSave is not { } last || now - last < interval)
        {
            // The first pass only starts the clock: a new leader does not rewrite every workload at once.
            _lastSave ??= now;
            return;
        }

        _lastSave = now;
        var due = targets
            .Select(target => (target, aggregate: book.AggregateOf(target.Key)))
            .Where(pair => pair.aggregate is { TotalSamplesCount: > 0 } && _savedSamples.GetValueOrDefault(pair.target.Key) != pair.aggregate.TotalSamplesCount)
            .Select(pair => (pair.target, Samples: pair.aggregate!.TotalSamplesCount, Text: Encode(pair.aggregate.SaveCheckpoint())))
            .ToList();
        foreach (var (target, samples, text) in due)
        {
            try
            {
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotations.UsageCheckpoint] = text } } };
                await client.MergePatchAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(target.Namespace, target.Name), patch, cancellationToken);
                _savedSamples[target.Key] = samples;
                Written++;
                metrics?.CountCheckpoint("written");
            }
            catch (Exception e) when (ApiErrors.IsTransientOrTimeout(e, cancellationToken))
            {
                // The next interval tries again; a deleted workload simply drops out of the targets.
                FailedWrites++;
                metrics?.CountCheckpoint("failed");
                LastError = $"{target.Key}: usage checkpoint not written: {e.Message}";
            }
        }
    }

    /// <summary>Forgets what was saved for a workload (deleted or recreated).</summary>
    public void Forget(string workloadKey) => _savedSamples.Remove(workloadKey);
}
