namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// Per-request options of a write: dryRun=All, fieldValidation, and for server-side apply fieldManager and force.
/// Warnings are collected for the Warning header.
/// </summary>
public sealed record WriteOptions(bool DryRun = false, FieldValidation FieldValidation = FieldValidation.Warn)
{
    public string? FieldManager { get; init; }

    public bool Force { get; init; }

    public List<string> Warnings { get; } = [];
}
