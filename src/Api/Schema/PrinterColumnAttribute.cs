namespace TensorFusion.Api.Schema;

/// <summary>An <c>additionalPrinterColumns</c> entry for <c>kubectl get</c>; columns keep declaration order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;

    public string Name { get; } = name;

    /// <summary>OpenAPI type of the column: string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    /// <summary>0 shows in plain <c>kubectl get</c>; higher values only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
