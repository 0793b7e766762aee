using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Checkpoint;

/// <summary>The one device change in flight, written before the change and cleared after it.</summary>
public sealed record CheckpointIntent(long Generation, string Action, PartitionChange? Partition = null, string? WorkerKey = null)
{
    public const string DestroyPartition = "destroy-partition";
    public const string EnableMig = "enable-mig";
    public const string CreatePartition = "create-partition";
    public const string WriteLimits = "write-limits";
    public const string RemoveLimits = "remove-limits";
}
