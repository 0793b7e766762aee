namespace TensorFusion.Gpu.Requests;

/// <summary>Workload QoS; the numeric order is the preemption priority (a request may only evict strictly lower levels).</summary>
public enum QosLevel
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}
