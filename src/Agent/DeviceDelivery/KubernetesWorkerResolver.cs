using System.Net;
using k8s;
using k8s.Autorest;
using TensorFusion.Api.Conventions;
using TensorFusion.Agent.DeviceDelivery.Dra;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// Reads the claim and the worker pod from the API server: the claim's <c>tensor-fusion.ai/worker</c> annotation names
/// the worker (else the <c>&lt;pod&gt;-gpu</c> name does), its allocation results for our driver give the request
/// names, and the pod's <c>tensor-fusion.ai/disable-features</c> (label or annotation) carries the limiter kill switch.
/// API errors propagate: the kubelet's call then answers an error for that claim and is retried.
/// </summary>
public sealed class KubernetesWorkerResolver(IKubernetes client) : IWorkerResolver
{
    /// <summary>The kill-switch feature that leaves the limiter out of a worker's container.</summary>
    public const string LimiterFeature = "gpu-limiter";

    public async Task<ClaimOwner?> ResolveClaimAsync(string claimNamespace, string name, string uid, CancellationToken cancellationToken)
    {
        k8s.Models.Resourcev1ResourceClaim claim;
        try
        {
            claim = await client.ResourceV1.ReadNamespacedResourceClaimAsync(name, claimNamespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Not readable (a control plane without resource.k8s.io, or already gone): the name convention still holds.
            return await new ClaimNaming().ResolveClaimAsync(claimNamespace, name, uid, cancellationToken);
        }

        if (claim.Metadata?.Uid is { Length: > 0 } actual && actual != uid)
        {
            throw new DeliveryException($"claim {claimNamespace}/{name}: uid {uid} was replaced by {actual} (the claim was recreated)");
        }

        var requests = claim.Status?.Allocation?.Devices?.Results?
            .Where(result => result.Driver == DraDriver.Name).Select(result => result.Request).Distinct(StringComparer.Ordinal).ToList();
        requests = requests is { Count: > 0 } ? requests : [ClaimNaming.RequestName];
        var annotated = claim.Metadata?.Annotations?.TryGetValue(ClaimNaming.WorkerAnnotation, out var value) == true ? value : null;
        if (annotated is not null)
        {
            return ClaimNaming.ParseWorkerAnnotation(annotated) is { } worker
                ? new ClaimOwner(worker.Namespace, worker.Worker, requests)
                : throw new DeliveryException($"claim {claimNamespace}/{name}: annotation {ClaimNaming.WorkerAnnotation}='{annotated}' is not <namespace>/<pod>");
        }

        return ClaimNaming.WorkerOf(name) is { } named ? new ClaimOwner(claimNamespace, named, requests) : null;
    }

    public async Task<bool> IsLimiterDisabledAsync(string workerNamespace, string worker, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(worker, workerNamespace, cancellationToken: cancellationToken);
            return Disables(pod.Metadata?.Labels) || Disables(pod.Metadata?.Annotations);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The device plugin can be asked before the pod is readable here; the limiter stays on (the safe side).
            return false;
        }
    }

    private static bool Disables(IDictionary<string, string>? values) =>
        values?.TryGetValue(Labels.DisableFeatures, out var features) == true &&
        features.Split(',', StringSplitOptions.TrimEntries).Contains(LimiterFeature, StringComparer.Ordinal);
}
