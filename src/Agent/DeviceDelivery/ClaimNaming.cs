namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// The convention the operator and the agent share (docs/agent-protocol.md, "Device delivery"): a worker's claim is
/// named <c>&lt;pod&gt;-gpu</c> and annotated <c>tensor-fusion.ai/worker: &lt;namespace&gt;/&lt;pod&gt;</c>; its one
/// request is named <c>gpu</c>. Without a cluster to read the claim from, the name alone identifies the worker.
/// </summary>
public sealed class ClaimNaming : IWorkerResolver
{
    public const string ClaimSuffix = "-gpu";
    public const string RequestName = "gpu";

    /// <summary>The annotation on the claim naming its worker pod as <c>namespace/pod</c>.</summary>
    public const string WorkerAnnotation = "tensor-fusion.ai/worker";

    public static string ClaimNameOf(string worker) => worker + ClaimSuffix;

    /// <summary>The worker pod of a claim named by the convention, or null.</summary>
    public static string? WorkerOf(string claimName) =>
        claimName.EndsWith(ClaimSuffix, StringComparison.Ordinal) && claimName.Length > ClaimSuffix.Length
            ? claimName[..^ClaimSuffix.Length]
            : null;

    /// <summary>Parses the worker annotation (<c>namespace/pod</c>); null when it is malformed.</summary>
    public static (string Namespace, string Worker)? ParseWorkerAnnotation(string? value)
    {
        var slash = value?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && slash < value!.Length - 1 && value.IndexOf('/', slash + 1) < 0 ? (value[..slash], value[(slash + 1)..]) : null;
    }

    public Task<ClaimOwner?> ResolveClaimAsync(string claimNamespace, string name, string uid, CancellationToken cancellationToken) =>
        Task.FromResult(WorkerOf(name) is { } worker ? new ClaimOwner(claimNamespace, worker, [RequestName]) : null);

    public Task<bool> IsLimiterDisabledAsync(string workerNamespace, string worker, CancellationToken cancellationToken) => Task.FromResult(false);
}
