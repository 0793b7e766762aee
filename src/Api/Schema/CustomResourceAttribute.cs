namespace TensorFusion.Api.Schema;

/// <summary>
/// Marks a top-level kind of the tensor-fusion.ai/v1 API. The CRD generator reads the kind, plural, scope and short
/// names from here; everything else comes from the properties of the type.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CustomResourceAttribute(string kind, string plural, ResourceScope scope) : Attribute
{
    public string Kind { get; } = kind;

    public string Plural { get; } = plural;

    public ResourceScope Scope { get; } = scope;

    /// <summary>Lower-case singular name; defaults to the kind in lower case.</summary>
    public string Singular => Kind.ToLowerInvariant();

    public string[] ShortNames { get; init; } = [];

    public string[] Categories { get; init; } = ["tensor-fusion"];
}
