namespace TensorFusion.Api.Conventions;

/// <summary>Values of the <see cref="Labels.Component"/> label.</summary>
public static class ComponentValues
{
    public const string Client = "client";
    public const string Worker = "worker";
    public const string Hypervisor = "hypervisor";
    public const string Operator = "operator";
    public const string DriverProbe = "driver-probe";
}
