namespace TensorFusion.Pipelines.Connections;

/// <summary>What one reconcile of a remote-mode workload does to its connections.</summary>
/// <param name="Create">Client pods that have no connection yet (the connection takes the client pod's name).</param>
/// <param name="Assign">Connections whose worker or status changes, with the status to write.</param>
/// <param name="Delete">Connections whose client pod is gone.</param>
public sealed record ConnectionPlan(
    IReadOnlyList<string> Create,
    IReadOnlyList<ConnectionAssignment> Assign,
    IReadOnlyList<string> Delete);
