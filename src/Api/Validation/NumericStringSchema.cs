namespace TensorFusion.Api.Validation;

/// <summary>The syntax of decimal numbers carried as strings (upstream's autoscaling ratios and percentiles).</summary>
public static class NumericStringSchema
{
    public const string Pattern = @"^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$";
}
