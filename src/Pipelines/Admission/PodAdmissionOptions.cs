namespace TensorFusion.Pipelines.Admission;

/// <summary>Settings of the pod admission webhook.</summary>
public sealed record PodAdmissionOptions
{
    /// <summary>
    /// Upstream's auto-migration: pods with native <c>nvidia.com/gpu</c> limits and no opt-in label are admitted as
    /// whole-GPU shares (100 % compute of each GPU). Off by default, as upstream's <c>autoMigration.enable</c>.
    /// </summary>
    public bool AutoMigrateNativeGpu { get; init; }
}
