using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.DeviceDelivery.Cdi;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// The core both front ends share: finds a worker in the node's plan, builds its container edits, writes its CDI
/// spec and records what it handed out, so that preparing twice changes nothing, an unprepare after a restart still
/// finds its spec, and specs come back after a reboot. A worker that leaves the plan loses its spec at the next
/// <see cref="Reconcile"/>. Thread-safe: the kubelet's calls and plan pushes are serialised on one gate.
/// </summary>
public sealed class WorkerDelivery
{
    private readonly Lock _gate = new();
    private readonly DeliveryPaths _paths;
    private readonly DeliveryStateStore _store;
    private readonly Func<NodePlan?> _plan;
    private readonly IAcceleratorDevice _device;
    private readonly IWorkerResolver _resolver;
    private DeliveryState _state;

    /// <summary>Loads the recorded state (a corrupt file throws <see cref="InvalidDataException"/> naming it).</summary>
    public WorkerDelivery(DeliveryPaths paths, DeliveryStateStore store, Func<NodePlan?> plan, IAcceleratorDevice device, IWorkerResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(store);
        _paths = paths;
        _store = store;
        _plan = plan;
        _device = device;
        _resolver = resolver;
        Specs = new CdiSpecDirectory(paths.CdiDirectory);
        _state = store.Load();
    }

    public CdiSpecDirectory Specs { get; }

    public DeliveryPaths Paths => _paths;

    /// <summary>Workers whose spec could not be rebuilt in the last <see cref="Reconcile"/> (kept and retried), with why.</summary>
    public IReadOnlyDictionary<string, string> LastRebuildFailures { get; private set; } = new Dictionary<string, string>();

    public DeliveryState State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <summary>Prepares a ResourceClaim: its worker's edits, with the spec written and the claim recorded. Idempotent.</summary>
    /// <exception cref="DeliveryException">The claim names no worker, or its worker cannot be delivered now.</exception>
    public async Task<(WorkerEdits Edits, ClaimOwner Owner)> PrepareClaimAsync(string @namespace, string name, string uid, CancellationToken cancellationToken)
    {
        var owner = await _resolver.ResolveClaimAsync(@namespace, name, uid, cancellationToken)
            ?? throw new DeliveryException(
                $"claim {@namespace}/{name} ({uid}) names no worker: expected annotation {ClaimNaming.WorkerAnnotation} or a name '<pod>{ClaimNaming.ClaimSuffix}'");
        if (owner.Namespace != @namespace)
        {
            throw new DeliveryException($"claim {@namespace}/{name}: worker {owner.Namespace}/{owner.Worker} is in another namespace");
        }

        var edits = await DeliverWorkerAsync(owner.Namespace, owner.Worker, cancellationToken);
        lock (_gate)
        {
            if (!_state.Claims.Any(claim => claim.Uid == uid))
            {
                Save(_state with { Claims = [.. _state.Claims, new DeliveredClaim(uid, @namespace, name, owner.Worker)] });
            }
        }

        return (edits, owner);
    }

    /// <summary>Unprepares a claim: forgets it and removes its worker's spec when no other claim needs it. True when the
    /// claim was known; an unknown claim is already unprepared (the kubelet may repeat the call).</summary>
    public bool UnprepareClaim(string uid)
    {
        lock (_gate)
        {
            var claim = _state.Claims.FirstOrDefault(c => c.Uid == uid);
            if (claim is null)
            {
                return false;
            }

            var claims = _state.Claims.Where(c => c.Uid != uid).ToList();
            var workers = _state.Workers;
            if (!claims.Any(c => c.Namespace == claim.Namespace && c.Worker == claim.Worker))
            {
                Specs.Remove(PlannedAllocation.KeyOf(claim.Namespace, claim.Worker));
                workers = workers.Where(w => !(w.Namespace == claim.Namespace && w.Worker == claim.Worker)).ToList();
            }

            Save(_state with { Claims = claims, Workers = workers });
            return true;
        }
    }

    /// <summary>A planned worker's edits, with its spec written and recorded (the device plugin's path; DRA's too).</summary>
    /// <exception cref="DeliveryException">The worker is not in the plan, or its GPUs are not ready.</exception>
    public async Task<WorkerEdits> DeliverWorkerAsync(string @namespace, string worker, CancellationToken cancellationToken)
    {
        var limiterDisabled = await _resolver.IsLimiterDisabledAsync(@namespace, worker, cancellationToken);
        lock (_gate)
        {
            var plan = _plan();
            var allocation = plan?.Allocations.FirstOrDefault(a => a.Namespace == @namespace && a.Worker == worker)
                ?? throw new DeliveryException(
                    $"worker {@namespace}/{worker} is not in this node's plan (generation {plan?.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) yet");
            var edits = Build(allocation, limiterDisabled);
            Specs.Write(edits);
            var delivered = new DeliveredWorker(@namespace, worker, limiterDisabled);
            if (!_state.Workers.Contains(delivered))
            {
                Save(_state with { Workers = [.. _state.Workers.Where(w => w.Key != delivered.Key), delivered] });
            }

            return edits;
        }
    }

    /// <summary>
    /// Brings the CDI directory in line with the plan: rebuilds the spec of every recorded worker still planned (after
    /// a reboot the directory is empty and MIG instances have new UUIDs), removes the specs of workers that left the
    /// plan and any spec of ours nobody recorded. Call at start, after each plan push and on the reconcile loop.
    /// </summary>
    public void Reconcile()
    {
        lock (_gate)
        {
            var plan = _plan();
            var failures = new Dictionary<string, string>(StringComparer.Ordinal);
            var kept = new List<DeliveredWorker>();
            foreach (var worker in _state.Workers)
            {
                var allocation = plan?.Allocations.FirstOrDefault(a => a.Namespace == worker.Namespace && a.Worker == worker.Worker);
                if (allocation is null)
                {
                    Specs.Remove(worker.Key);
                    continue;
                }

                kept.Add(worker);
                try
                {
                    Specs.Write(Build(allocation, worker.LimiterDisabled));
                }
                catch (DeliveryException e)
                {
                    // A partition still pending after a reboot: keep the record, the next reconcile retries.
                    failures[worker.Key] = e.Message;
                }
            }

            foreach (var stray in Specs.WorkerKeys().Where(key => !kept.Any(w => w.Key == key)))
            {
                Specs.Remove(stray);
            }

            LastRebuildFailures = failures;
            if (kept.Count != _state.Workers.Count)
            {
                Save(_state with { Workers = kept });
            }
        }
    }

    private WorkerEdits Build(PlannedAllocation allocation, bool limiterDisabled) =>
        WorkerEditsBuilder.Build(allocation, _device.ListDevices(), _device.ListMigInstances, limiterDisabled, _paths);

    private void Save(DeliveryState state)
    {
        _store.Save(state);
        _state = state;
    }
}
