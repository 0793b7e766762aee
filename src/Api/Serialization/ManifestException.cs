namespace TensorFusion.Api.Serialization;

/// <summary>A manifest could not be read; <see cref="Errors"/> lists every problem found, one per line in the message.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException()
        : this([])
    {
    }

    public ManifestException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public ManifestException(IReadOnlyList<ManifestError> errors)
        : base(errors.Count == 0 ? "invalid manifest" : string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ManifestError> Errors { get; }
}
