namespace TensorFusion.Gpu.Devices;

/// <summary>How a worker shares a GPU (upstream isolation modes).</summary>
public enum IsolationMode
{
    Shared = 0,
    Soft = 1,
    Hard = 2,
    Partitioned = 3,
}
