using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Checkpoint;

/// <summary>
/// The agent's durable memory: the accepted plan, the boot it was applied in, and the change in flight.
/// A different boot id on start means the node rebooted (partitions are gone; rebuild from the plan).
/// </summary>
public sealed record AgentCheckpoint(int Version, string BootId, string NodeName, NodePlan? Plan, CheckpointIntent? Intent)
{
    public const int CurrentVersion = 1;
}
