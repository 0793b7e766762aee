using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Serialization;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Connections;

/// <summary>
/// Writes a <see cref="ConnectionPlan"/>: creates each missing connection owned by its client pod (so the garbage
/// collector removes it with the pod), writes assignments to the status subresource and the worker label, and deletes
/// connections whose client is gone. Creates are idempotent (409 means it is there); a status write that races another
/// is retried by the next reconcile, which every connection change triggers.
/// </summary>
public sealed class ConnectionSync(KubeRestClient client)
{
    public async Task ApplyAsync(string @namespace, string workload, ConnectionPlan plan, IReadOnlyCollection<V1Pod> clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var byName = clients.ToDictionary(pod => pod.Metadata.Name, StringComparer.Ordinal);
        foreach (var name in plan.Create)
        {
            await CreateAsync(@namespace, workload, byName[name], cancellationToken);
        }

        foreach (var assignment in plan.Assign)
        {
            var path = ResourceDescriptor.Connections.ObjectPath(@namespace, assignment.Connection);
            var status = new TensorFusionConnectionStatus { Phase = assignment.Phase, WorkerName = assignment.Worker, ConnectionUrl = assignment.Url };
            var statusNode = JsonSerializer.SerializeToNode(status, TensorFusionJson.Options)!.AsObject();
            statusNode.TryAdd("connectionURL", null);
            statusNode.TryAdd("workerName", null);
            // The label first: whoever sees the new status (the client, a watch) then also sees the worker label.
            await IgnoreGoneAsync(client.MergePatchAsync<JsonNode>(path, new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [Labels.WorkerName] = assignment.Worker } },
            }, cancellationToken));
            await IgnoreGoneAsync(client.MergePatchAsync<JsonNode>(path + "/status", new JsonObject { ["status"] = statusNode }, cancellationToken));
        }

        foreach (var name in plan.Delete)
        {
            await client.DeleteAsync(ResourceDescriptor.Connections.ObjectPath(@namespace, name), null, cancellationToken);
        }
    }

    private async Task CreateAsync(string @namespace, string workload, V1Pod clientPod, CancellationToken cancellationToken)
    {
        var connection = new TensorFusionConnection
        {
            Metadata = new V1ObjectMeta
            {
                Name = clientPod.Metadata.Name,
                NamespaceProperty = @namespace,
                Labels = new Dictionary<string, string> { [Labels.Workload] = workload },
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = clientPod.Metadata.Name, Uid = clientPod.Metadata.Uid, Controller = true },
                ],
            },
            Spec = new TensorFusionConnectionSpec { WorkloadName = workload, ClientPod = clientPod.Metadata.Name },
        };
        try
        {
            await client.CreateAsync(ResourceDescriptor.Connections.CollectionPath(@namespace), connection, cancellationToken);
        }
        catch (ApiStatusException e) when (e.IsConflict)
        {
            // Created by an earlier reconcile that the cache had not seen yet.
        }
    }

    private static async Task IgnoreGoneAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (ApiStatusException e) when (e.IsNotFound)
        {
            // The client pod (and so its connection) went away meanwhile; the next reconcile sees it gone.
        }
    }
}
