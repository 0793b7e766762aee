using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Claims;

/// <summary>
/// The allocation-controller half of DRA: the worker's ResourceClaim is created when its pod is
/// (<see cref="TryCreateAsync"/>, off the bind path), and allocated and reserved for the pod just before the bind
/// (<see cref="AllocateAsync"/>: one status write; it creates the claim first only when it is missing). API errors are
/// left to the caller's classifier.
/// </summary>
public sealed class ClaimAllocationWriter(KubeRestClient client)
{
    /// <summary>
    /// Creates the claim of a just-created worker pod; false when that failed for a reason the bind will heal (it
    /// creates a missing claim), true when it exists now.
    /// </summary>
    public async Task<bool> TryCreateAsync(V1Pod pod, int gpus, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(pod, gpus, cancellationToken);
            return true;
        }
        catch (Exception failure) when (failure is ApiStatusException or InvalidOperationException or HttpRequestException || ApiErrors.IsTransientOrTimeout(failure, cancellationToken))
        {
            return false;
        }
    }

    /// <summary>Allocates the pod's claim to <paramref name="allocation"/>; false (nothing written) when the pod refers to no worker claim.</summary>
    public async Task<bool> AllocateAsync(V1Pod pod, WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(allocation);
        if (WorkerClaims.ReferencedClaim(pod) is not { } name)
        {
            return false;
        }

        var path = ResourceDescriptor.ResourceClaims.ObjectPath(pod.Metadata.NamespaceProperty, name) + "/status";
        var patch = new JsonObject { ["status"] = WorkerClaims.AllocatedStatus(pod, allocation) };
        try
        {
            await client.MergePatchAsync<JsonNode>(path, patch, cancellationToken);
        }
        catch (ApiStatusException missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            // Its creation beside the pod's failed (or an older operator made the pod): create it now.
            await CreateAsync(pod, allocation.Shares.Count, cancellationToken);
            await client.MergePatchAsync<JsonNode>(path, patch, cancellationToken);
        }

        return true;
    }

    private async Task CreateAsync(V1Pod pod, int gpus, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        try
        {
            await client.CreateAsync<JsonNode>(ResourceDescriptor.ResourceClaims.CollectionPath(ns), WorkerClaims.NewClaim(pod, gpus), cancellationToken);
        }
        catch (ApiStatusException conflict) when (conflict.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier try: its status is (re)written at the bind.
        }
        catch (ApiStatusException missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            // Not "the pod is gone": a cluster that does not serve resource.k8s.io/v1 would leave every worker pending.
            throw new InvalidOperationException(
                $"creating ResourceClaim {ns}/{WorkerClaims.ClaimName(pod.Metadata.Name)} answered 404: the cluster serves no resource.k8s.io/v1 " +
                "(Kubernetes 1.34+ needed) or the namespace is gone; run the operator with --dra-claims=false to deliver GPUs through the device plugin", missing);
        }
    }
}
