namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// Per-request options of a write: dryRun=All, fieldValidation, and for server-side apply fieldManager and force.
/// Warnings are collected for the Warning header. <see cref="User"/> is who asked (admission policies read it; null for
/// the server's own writes, which no policy judges).
/// </summary>
public sealed record WriteOptions(bool DryRun = false, FieldValidation FieldValidation = FieldValidation.Warn)
{
    public string? FieldManager { get; init; }

    public bool Force { get; init; }

    public Authentication.UserInfo? User { get; init; }

    public List<string> Warnings { get; } = [];
}
