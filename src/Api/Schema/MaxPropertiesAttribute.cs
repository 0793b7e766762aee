namespace TensorFusion.Api.Schema;

/// <summary>
/// <c>maxProperties</c> of a map field. <see cref="KeyMaxLength"/> and <see cref="ValueMaxLength"/> bound the keys and
/// (string) values.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaxPropertiesAttribute(int count) : Attribute
{
    public int Count { get; } = count;

    public int KeyMaxLength { get; init; } = 253;

    public int ValueMaxLength { get; init; }
}
