using System.Text.Json.Nodes;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// What the fuzz scenario waits for: canaries Running (from the operator's workload cache as it changes) and stored fuzz
/// workloads answered (a phase or a condition, read from the API server: a quarantined object never enters the
/// operator's cache, its answer is only on the server). A workload may be answered before the scenario learns its
/// create succeeded, so answers are recorded for every name and compared with the expectations only when counting.
/// </summary>
internal sealed class FuzzProgress
{
    /// <summary>The GPU-less pool the fuzzed workloads name (their workers meet the allocator in everybody's batches).</summary>
    public const string FuzzPool = "fuzz-pool";

    private readonly object _gate = new();
    private readonly HashSet<string> _canaries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _quarantined = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _applyFinished;

    /// <summary>Completes once every object is applied, every canary Running and every stored fuzz workload answered.</summary>
    public Task Settled => _settled.Task;

    public void ExpectCanary(string name)
    {
        lock (_gate)
        {
            _canaries.Add(name);
        }
    }

    public void ExpectStored(string name)
    {
        lock (_gate)
        {
            _stored.Add(name);
        }
    }

    public void ApplyFinished()
    {
        lock (_gate)
        {
            _applyFinished = true;
            CheckSettled();
        }
    }

    /// <summary>A workload as the operator's cache saw it change: a canary may now be Running.</summary>
    public void Observe(TensorFusionWorkload workload)
    {
        lock (_gate)
        {
            if (workload.Status?.Phase == WorkloadPhase.Running)
            {
                _running.Add(workload.Metadata.Name);
                CheckSettled();
            }
        }
    }

    /// <summary>The fuzz namespace's workloads as the API server lists them (JSON: the ones no type can hold too).</summary>
    public void ObserveStored(JsonArray items)
    {
        lock (_gate)
        {
            foreach (var item in items)
            {
                var status = item?["status"];
                var conditions = status?["conditions"] as JsonArray;
                if (status?["phase"] is null && conditions is not { Count: > 0 })
                {
                    continue;
                }

                var name = item!["metadata"]!["name"]!.ToString();
                _answered.Add(name);
                if (conditions?.Any(condition => condition?["status"]?.ToString() == "False") == true || status?["phase"]?.ToString() == "Failed")
                {
                    _quarantined.Add(name);
                }
            }

            CheckSettled();
        }
    }

    public (int Canaries, int CanariesRunning, int Stored, int Answered, int Quarantined) Counts()
    {
        lock (_gate)
        {
            return (_canaries.Count, _canaries.Count(_running.Contains), _stored.Count, _stored.Count(_answered.Contains), _stored.Count(_quarantined.Contains));
        }
    }

    /// <summary>Stored fuzz workloads without an answer yet.</summary>
    public List<string> Unanswered()
    {
        lock (_gate)
        {
            return [.. _stored.Except(_answered)];
        }
    }

    /// <summary>What is still awaited, with a few names of each, for progress lines.</summary>
    public string Open()
    {
        lock (_gate)
        {
            var canaries = _canaries.Except(_running).ToList();
            var stored = _stored.Except(_answered).ToList();
            return $"{canaries.Count} canaries not Running ({string.Join(", ", canaries.Take(3))}), "
                + $"{stored.Count} fuzz workloads unanswered ({string.Join(", ", stored.Take(3))})";
        }
    }

    private void CheckSettled()
    {
        if (_applyFinished && _canaries.IsSubsetOf(_running) && _stored.IsSubsetOf(_answered))
        {
            _settled.TrySetResult();
        }
    }
}
