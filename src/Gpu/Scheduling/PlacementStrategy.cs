namespace TensorFusion.Gpu.Scheduling;

/// <summary>Upstream placement modes (SchedulingConfigTemplate <c>placement.mode</c>).</summary>
public enum PlacementStrategy
{
    /// <summary>Fullest node, fullest GPU: packs work onto as few GPUs as possible.</summary>
    CompactFirst,

    /// <summary>Emptiest node, emptiest GPU: spreads load.</summary>
    LowLoadFirst,

    /// <summary>Fullest node, emptiest GPU on it (upstream default): frees whole nodes while spreading inside a node.</summary>
    NodeCompactGpuLowLoad,
}
