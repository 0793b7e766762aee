using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Claims;

/// <summary>
/// The allocation-controller half of DRA for a worker about to be bound: creates its ResourceClaim (an existing one,
/// from an earlier try, is fine) and writes the claim's status.allocation and reservedFor, so the kubelet finds the
/// claim allocated and reserved for the pod when the pod lands on the node. Two writes per worker; API errors are
/// left to the caller's classifier.
/// </summary>
public sealed class ClaimAllocationWriter(KubeRestClient client)
{
    /// <summary>Allocates the pod's claim to <paramref name="allocation"/>; false (nothing written) when the pod refers to no worker claim.</summary>
    public async Task<bool> AllocateAsync(V1Pod pod, WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(allocation);
        if (WorkerClaims.ReferencedClaim(pod) is not { } name)
        {
            return false;
        }

        var ns = pod.Metadata.NamespaceProperty;
        try
        {
            await client.CreateAsync<JsonNode>(ResourceDescriptor.ResourceClaims.CollectionPath(ns), WorkerClaims.NewClaim(pod, allocation.Shares.Count), cancellationToken);
        }
        catch (ApiStatusException conflict) when (conflict.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier try whose bind failed: its status is rewritten below for this placement.
        }
        catch (ApiStatusException missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            // Not "the pod is gone": a cluster that does not serve resource.k8s.io/v1 would leave every worker pending.
            throw new InvalidOperationException(
                $"creating ResourceClaim {ns}/{name} answered 404: the cluster serves no resource.k8s.io/v1 (Kubernetes 1.34+ needed) " +
                "or the namespace is gone; run the operator with --dra-claims=false to deliver GPUs through the device plugin", missing);
        }

        var patch = new JsonObject { ["status"] = WorkerClaims.AllocatedStatus(pod, allocation) };
        await client.MergePatchAsync<JsonNode>(ResourceDescriptor.ResourceClaims.ObjectPath(ns, name) + "/status", patch, cancellationToken);
        return true;
    }
}
