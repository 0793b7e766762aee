namespace TensorFusion.Api.Schema;

/// <summary><c>maxLength</c> of a string field. Every free-form string of the API carries one (upstream has none).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}
