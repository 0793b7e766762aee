namespace TensorFusion.Gpu.Catalog;

/// <summary>One model in the catalog JSON; every field but the name is optional so that overrides can be partial.</summary>
internal sealed record GpuModelEntry(
    string? Name,
    string? Vendor,
    double? Fp16Tflops,
    double? VramGiB,
    double? CostPerHour,
    IReadOnlyList<string>? Aliases,
    MigGeometryEntry? Mig);
