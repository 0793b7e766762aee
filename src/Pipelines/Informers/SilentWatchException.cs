namespace TensorFusion.Pipelines.Informers;

/// <summary>A watch that sent nothing (not even a bookmark) for longer than allowed; it is renewed.</summary>
public sealed class SilentWatchException : Exception
{
    public SilentWatchException()
    {
    }

    public SilentWatchException(string message)
        : base(message)
    {
    }

    public SilentWatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
