namespace TensorFusion.LocalCluster.Schema;

/// <summary>The outcome of checking one object: field errors (422), and unknown fields that were pruned.</summary>
public sealed class SchemaValidation
{
    public List<(string Field, string Message)> Errors { get; } = [];

    public List<string> UnknownFields { get; } = [];
}
