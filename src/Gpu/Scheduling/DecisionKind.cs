namespace TensorFusion.Gpu.Scheduling;

/// <summary>What the allocator decided for one request.</summary>
public enum DecisionKind
{
    /// <summary>Placed on free capacity.</summary>
    Place,

    /// <summary>Placed after evicting lower-QoS victims.</summary>
    Preempt,

    /// <summary>No fit; the reason says why, per filter.</summary>
    Unschedulable,
}
