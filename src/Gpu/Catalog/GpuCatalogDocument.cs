namespace TensorFusion.Gpu.Catalog;

/// <summary>The root of a catalog JSON document.</summary>
internal sealed record GpuCatalogDocument(IReadOnlyList<GpuModelEntry>? Models);
