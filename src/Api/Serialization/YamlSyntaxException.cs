namespace TensorFusion.Api.Serialization;

/// <summary>Malformed YAML or JSON text, with the 1-based line it was found on.</summary>
public sealed class YamlSyntaxException : Exception
{
    public YamlSyntaxException()
    {
    }

    public YamlSyntaxException(string message)
        : base(message)
    {
    }

    public YamlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public YamlSyntaxException(string message, int line, Exception? innerException = null)
        : base(message, innerException)
    {
        Line = line;
    }

    public int? Line { get; }
}
