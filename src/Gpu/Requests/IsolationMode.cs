namespace TensorFusion.Gpu.Requests;

/// <summary>
/// How a worker shares its GPUs (upstream's isolation modes): a whole idle GPU (shared), fractional shares (soft, hard)
/// or a MIG partition. One type from request to device: the ordinals are the native ABI's <c>TFACCEL_ISOLATION_*</c>
/// values, which plans and the device boundary carry as numbers.
/// </summary>
public enum IsolationMode
{
    Shared = 0,
    Soft = 1,
    Hard = 2,
    Partitioned = 3,
}
