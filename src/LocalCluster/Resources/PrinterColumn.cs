namespace TensorFusion.LocalCluster.Resources;

/// <summary>A Table column: CRD additionalPrinterColumns or a built-in column computed from the object.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description = "", int Priority = 0, string Format = "");
