namespace TensorFusion.Pipelines.Allocation;

/// <summary>What the single decision stage works on, one at a time: a batch of placements or a resize.</summary>
internal abstract record DecisionWork;
