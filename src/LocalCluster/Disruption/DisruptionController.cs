using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Disruption;

/// <summary>
/// The disruption controller: keeps every PodDisruptionBudget's status (expectedPods, currentHealthy, desiredHealthy,
/// disruptionsAllowed, the DisruptionAllowed condition) true to the pods it covers. Any pod or budget change in a
/// namespace recomputes that namespace's budgets; a status is written only when it changed, so its own writes settle.
/// Evictions spend allowances between recomputes (<see cref="PodEvictions"/>); a recompute after the evicted pod is
/// gone counts it out of the healthy pods instead.
/// </summary>
public sealed class DisruptionController(ObjectStore store, TimeProvider time)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (subscription, _) = store.Subscribe(null, null, initialState: false, change =>
            change.Current is { } current && current.Namespace.Length > 0 && current.StorageId is "pods" or DisruptionBudgets.StorageId);
        using (subscription)
        {
            foreach (var budget in store.List(DisruptionBudgets.StorageId, null, null).Items)
            {
                await RecomputeAsync(budget.Namespace);
            }

            await foreach (var change in subscription.Events.ReadAllAsync(cancellationToken))
            {
                await RecomputeAsync(change.Current!.Namespace);
            }
        }
    }

    /// <summary>Writes the status of every budget in <paramref name="namespace"/> that changed.</summary>
    public async Task RecomputeAsync(string @namespace)
    {
        foreach (var budget in store.List(DisruptionBudgets.StorageId, @namespace, null).Items)
        {
            await store.WriteAsync(transaction =>
            {
                var current = transaction.Get(DisruptionBudgets.StorageId, @namespace, budget.Name);
                if (current is null || Meta.IsDeleting(current.Value))
                {
                    return current;
                }

                var pods = store.List("pods", @namespace, null).Items.Select(pod => pod.Value);
                var status = DisruptionBudgets.ComputeStatus(current.Value, pods, time.GetUtcNow());
                if (JsonNode.DeepEquals(status, current.Value["status"]))
                {
                    return current;
                }

                var next = current.Value.DeepClone().AsObject();
                next["status"] = status;
                return transaction.Put(DisruptionBudgets.StorageId, @namespace, budget.Name, next);
            });
        }
    }
}
