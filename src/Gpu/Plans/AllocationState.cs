namespace TensorFusion.Gpu.Plans;

/// <summary>Where one planned allocation stands on the node.</summary>
public enum AllocationState
{
    /// <summary>Partitions and limits are in place.</summary>
    Applied,
    /// <summary>Waiting on the device (a partition still IN_USE by an exiting process); retried, never half-applied.</summary>
    Pending,
    /// <summary>Cannot be applied as planned (invalid placement, unknown GPU, ...); the reason says why.</summary>
    Failed,
}
