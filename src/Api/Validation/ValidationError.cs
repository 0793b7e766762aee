namespace TensorFusion.Api.Validation;

/// <summary>One violated bound or rule: the field path (<c>spec.gpuCount</c>) and what is wrong with it.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
