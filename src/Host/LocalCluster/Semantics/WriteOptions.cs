namespace TensorFusion.LocalCluster.Semantics;

/// <summary>Per-request options of a write: dryRun=All and fieldValidation. Warnings are collected for the Warning header.</summary>
public sealed record WriteOptions(bool DryRun = false, FieldValidation FieldValidation = FieldValidation.Warn)
{
    public List<string> Warnings { get; } = [];
}
