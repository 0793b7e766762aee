namespace TensorFusion.Gpu.Scheduling;

/// <summary>How the allocator looks for a node.</summary>
public enum PlacementSearch
{
    /// <summary>Walk the score-bucket index of the pool and model; stop at the first node that fits.</summary>
    Indexed,

    /// <summary>Filter and score every node of the pool (the naive baseline; also used to explain a miss).</summary>
    FullScan,
}
