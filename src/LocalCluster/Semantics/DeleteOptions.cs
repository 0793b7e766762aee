namespace TensorFusion.LocalCluster.Semantics;

/// <summary>What a delete request asked for: grace period, propagation policy and preconditions.</summary>
public sealed record DeleteOptions(
    long? GracePeriodSeconds = null,
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false);
