namespace TensorFusion.Api.Schema;

/// <summary>A Go duration string such as <c>30m</c>, <c>2h</c> or <c>1h30m</c> (metav1.Duration on the wire).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DurationStringAttribute : Attribute
{
    public const string Pattern = @"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

    public const int MaxLength = 64;
}
