namespace TensorFusion.Api.Serialization;

/// <summary>How strictly <see cref="ManifestReader"/> reads.</summary>
public sealed record ManifestReadOptions
{
    public static ManifestReadOptions Default { get; } = new();

    /// <summary>Apply <c>ManifestValidator</c> (schema bounds and rules) to every object read.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>Skip documents of other API groups (a Deployment next to the workloads) instead of failing.</summary>
    public bool IgnoreForeignKinds { get; init; }
}
