namespace TensorFusion.Gpu.Devices;

/// <summary>An accelerator call failed with a specific <see cref="AcceleratorError"/>.</summary>
public sealed class AcceleratorException : Exception
{
    public AcceleratorException()
    {
    }

    public AcceleratorException(string message) : base(message)
    {
    }

    public AcceleratorException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public AcceleratorException(AcceleratorError error, string message) : base(message)
    {
        Error = error;
    }

    public AcceleratorError Error { get; } = AcceleratorError.Internal;
}
