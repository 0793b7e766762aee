namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>Why a pod's resource claims could not be prepared (or unprepared); the message becomes the pod's event.</summary>
public sealed class DraPrepareException : Exception
{
    public DraPrepareException()
    {
    }

    public DraPrepareException(string message)
        : base(message)
    {
    }

    public DraPrepareException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
