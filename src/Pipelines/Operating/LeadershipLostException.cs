namespace TensorFusion.Pipelines.Operating;

/// <summary>The Lease was lost: the process must stop (controller-runtime exits rather than risk two writers).</summary>
public sealed class LeadershipLostException : Exception
{
    public LeadershipLostException()
    {
    }

    public LeadershipLostException(string message)
        : base(message)
    {
    }

    public LeadershipLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
