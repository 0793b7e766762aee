namespace TensorFusion.Gpu.Requests;

/// <summary>
/// Marks a request as one member of an all-or-nothing gang: <see cref="RequiredMembers"/> workers of the group
/// <see cref="GroupKey"/> (upstream's <c>&lt;namespace&gt;/&lt;workload&gt;</c>) must hold GPUs together, or none of them does.
/// <see cref="Timeout"/> (null: wait indefinitely) only changes how a waiting gang is reported; it keeps being retried.
/// </summary>
public sealed record GangMembership(string GroupKey, int RequiredMembers, TimeSpan? Timeout = null);
