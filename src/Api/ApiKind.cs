using TensorFusion.Api.Schema;

namespace TensorFusion.Api;

/// <summary>One kind of the API: its names, scope and CLR types.</summary>
public sealed record ApiKind(string Kind, string Plural, ResourceScope Scope, Type Type, Type ListType)
{
    public bool HasSpec => Type.GetProperty("Spec") is not null;
}
