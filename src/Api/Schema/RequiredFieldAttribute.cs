namespace TensorFusion.Api.Schema;

/// <summary>The field must be present (listed in the parent's <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RequiredFieldAttribute : Attribute;
