namespace TensorFusion.Api.Schema;

/// <summary>
/// A decimal number carried as a string (upstream keeps the autoscaling ratios and percentiles as strings).
/// The CRD gets a number pattern plus a CEL range rule; the validator parses and checks the same range.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class NumericStringAttribute(double minimum, double maximum) : Attribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; } = maximum;
}
