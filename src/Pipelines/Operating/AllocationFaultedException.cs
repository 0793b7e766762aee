namespace TensorFusion.Pipelines.Operating;

/// <summary>The allocation pipeline stopped with an error: the operator stops too (and Kubernetes restarts it) rather than run without placing workers.</summary>
public sealed class AllocationFaultedException : Exception
{
    public AllocationFaultedException()
    {
    }

    public AllocationFaultedException(string message)
        : base(message)
    {
    }

    public AllocationFaultedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
