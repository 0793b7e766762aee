namespace TensorFusion.Pipelines.Allocation;

/// <summary>Pending workers decided together against one state.</summary>
internal sealed record PlacementBatch(PendingWorker[] Workers) : DecisionWork;
