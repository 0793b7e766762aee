using TensorFusion.Api.Workloads;
using TensorFusion.IntegrationTests.Fuzz;
using TensorFusion.Pipelines.Informers;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// What the fuzz scenario waits for, kept from the operator's workload cache as it changes: canaries Running and
/// stored fuzz workloads answered (a phase or a condition). A workload may be answered before the scenario learns its
/// create succeeded, so answers are recorded for every name and compared with the expectations only when counting.
/// </summary>
internal sealed class FuzzProgress(Informer<TensorFusionWorkload> workloads)
{
    /// <summary>The GPU-less pool the fuzzed workloads name (their workers meet the allocator in everybody's batches).</summary>
    public const string FuzzPool = "fuzz-pool";

    private readonly object _gate = new();
    private readonly HashSet<string> _canaries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
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

    public void Observe(TensorFusionWorkload workload)
    {
        lock (_gate)
        {
            var name = workload.Metadata.Name;
            if (workload.Metadata.NamespaceProperty == FuzzObjects.Namespace && FuzzObjects.Handled(workload))
            {
                _answered.Add(name);
            }
            else if (workload.Status?.Phase == WorkloadPhase.Running)
            {
                _running.Add(name);
            }

            CheckSettled();
        }
    }

    public (int Canaries, int CanariesRunning, int Stored, int Answered, int Quarantined) Counts()
    {
        lock (_gate)
        {
            var quarantined = _stored.Count(name => workloads.Get(FuzzObjects.Namespace, name) is { } workload && FuzzObjects.Quarantined(workload));
            return (_canaries.Count, _canaries.Count(_running.Contains), _stored.Count, _stored.Count(_answered.Contains), quarantined);
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
