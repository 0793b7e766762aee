namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>What device delivery needs to know about workers beyond the plan: whose a claim is, and whether the
/// workload switched the limiter off.</summary>
public interface IWorkerResolver
{
    /// <summary>The worker of a claim, or null when the claim names none (the answer for that claim is an error).</summary>
    Task<ClaimOwner?> ResolveClaimAsync(string claimNamespace, string name, string uid, CancellationToken cancellationToken);

    /// <summary>True when the worker's pod carries the kill switch <c>tensor-fusion.ai/disable-features</c> with
    /// <c>gpu-limiter</c> (label or annotation, as upstream reads it).</summary>
    Task<bool> IsLimiterDisabledAsync(string workerNamespace, string worker, CancellationToken cancellationToken);
}
