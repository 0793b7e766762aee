namespace TensorFusion.Api.Schema;

/// <summary>
/// <c>maxItems</c> of a list field. <see cref="ItemMaxLength"/> bounds the strings of a list of strings.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaxItemsAttribute(int count) : Attribute
{
    public int Count { get; } = count;

    public int ItemMaxLength { get; init; }
}
