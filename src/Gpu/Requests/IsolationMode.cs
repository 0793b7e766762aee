namespace TensorFusion.Gpu.Requests;

/// <summary>How a worker shares its GPUs: a whole idle GPU (shared), fractional shares (soft, hard) or a MIG partition.</summary>
public enum IsolationMode
{
    Soft = 0,
    Shared = 1,
    Hard = 2,
    Partitioned = 3,
}
