namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// A stored object the operator cannot use: it does not decode into its type, or it fails the kind's own checks. It is
/// quarantined under its key alone (every other key keeps flowing); <paramref name="Problem"/> names the field and value.
/// </summary>
public sealed record InvalidObject(string Kind, string? Namespace, string Name, string? Uid, string? ResourceVersion, long? Generation, string Problem)
{
    /// <summary>metadata.deletionTimestamp is set: the object is going, and whoever holds a finalizer must let it go.</summary>
    public bool Deleting { get; init; }

    /// <summary>metadata.finalizers as stored.</summary>
    public IReadOnlyList<string> Finalizers { get; init; } = [];

    public string Key => ObjectKeys.Of(Namespace, Name);
}
