using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Connections;

/// <summary>
/// Upstream's remote-mode worker selection, level-based: every client pod has one connection; with dynamic replicas a
/// connection is served by the worker created for its client; with fixed replicas it keeps its worker while that worker
/// runs, otherwise it takes the running worker with the fewest connections (ties by name), which keeps the spread within
/// one connection (maxSkew 1). A connection whose worker stopped and that finds no running worker is <c>Failed</c> with
/// no URL; one that never had a worker is <c>Pending</c>.
/// </summary>
public static class ConnectionPlanner
{
    /// <summary>Port a worker serves clients on when its pod does not name one (<see cref="Labels.HostPort"/>).</summary>
    public const int DefaultWorkerPort = 42000;

    public static ConnectionPlan Plan(
        IReadOnlyCollection<V1Pod> clients, IReadOnlyCollection<V1Pod> workers, IReadOnlyCollection<TensorFusionConnection> connections, bool fixedReplicas)
    {
        var clientNames = clients.Select(pod => pod.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var existing = connections.ToDictionary(connection => connection.Metadata.Name, StringComparer.Ordinal);
        var running = workers.Where(WorkerPods.IsReady).OrderBy(pod => pod.Metadata.Name, StringComparer.Ordinal).ToList();
        var load = running.ToDictionary(pod => pod.Metadata.Name, _ => 0, StringComparer.Ordinal);
        var live = connections.Where(connection => clientNames.Contains(connection.Metadata.Name)).OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).ToList();
        foreach (var connection in live)
        {
            if (connection.Status?.WorkerName is { } worker && load.TryGetValue(worker, out var count))
            {
                load[worker] = count + 1;
            }
        }

        var assignments = new List<ConnectionAssignment>();
        foreach (var connection in live)
        {
            var chosen = fixedReplicas
                ? KeepOrSelect(connection, running, load)
                : running.FirstOrDefault(pod => pod.Metadata.Label(WorkerPods.ClientPodLabel) == connection.Spec.ClientPod);
            var next = chosen is null
                ? new ConnectionAssignment(connection.Metadata.Name, null,
                    connection.Status?.WorkerName is null ? ConnectionPhase.Pending : ConnectionPhase.Failed, null)
                : new ConnectionAssignment(connection.Metadata.Name, chosen.Metadata.Name, ConnectionPhase.Running, Url(chosen));
            if (next.Phase == ConnectionPhase.Failed && connection.Status?.Phase == ConnectionPhase.Failed)
            {
                next = next with { Worker = connection.Status.WorkerName };
            }

            if (next.Worker != connection.Status?.WorkerName || next.Phase != connection.Status?.Phase || next.Url != connection.Status?.ConnectionUrl)
            {
                assignments.Add(next);
            }
        }

        var create = clients.Select(pod => pod.Metadata.Name).Where(name => !existing.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var delete = connections.Select(connection => connection.Metadata.Name).Where(name => !clientNames.Contains(name)).Order(StringComparer.Ordinal).ToList();
        return new ConnectionPlan(create, assignments, delete);
    }

    /// <summary>Upstream's URL: <c>native+&lt;pod IP&gt;+&lt;port&gt;+&lt;pod name&gt;-&lt;resourceVersion&gt;</c>.</summary>
    public static string Url(V1Pod worker)
    {
        var port = int.TryParse(worker.Metadata.Label(Labels.HostPort), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : DefaultWorkerPort;
        return string.Create(CultureInfo.InvariantCulture, $"native+{worker.Status?.PodIP}+{port}+{worker.Metadata.Name}-{worker.Metadata.ResourceVersion}");
    }

    private static V1Pod? KeepOrSelect(TensorFusionConnection connection, List<V1Pod> running, Dictionary<string, int> load)
    {
        if (connection.Status?.WorkerName is { } current && running.FirstOrDefault(pod => pod.Metadata.Name == current) is { } kept)
        {
            return kept;
        }

        var least = running.OrderBy(pod => load[pod.Metadata.Name]).FirstOrDefault();
        if (least is not null)
        {
            load[least.Metadata.Name]++;
        }

        return least;
    }
}
