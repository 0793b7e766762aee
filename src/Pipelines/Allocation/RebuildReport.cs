namespace TensorFusion.Pipelines.Allocation;

/// <summary>The result of rebuilding allocator state from pods at start: how many allocations came back and every conflict.</summary>
public sealed record RebuildReport(int Restored, int Pending, IReadOnlyList<string> Conflicts);
