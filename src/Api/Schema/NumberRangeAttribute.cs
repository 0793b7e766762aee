namespace TensorFusion.Api.Schema;

/// <summary>Inclusive <c>minimum</c>/<c>maximum</c> of an integer or number field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class NumberRangeAttribute(double minimum, double maximum) : Attribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; } = maximum;
}
