using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;

namespace TensorFusion.Gpu.Mig;

/// <summary>Ranks the MIG profiles of a model for a per-GPU request, least waste first.</summary>
public static class MigProfileChooser
{
    /// <summary>The resources a MIG instance of <paramref name="profile"/> gives on a GPU of <paramref name="capacity"/>:
    /// compute slices / total compute slices of the TFLOPs, and the profile's memory.</summary>
    /// <example>3g.40gb on H100 (989 TFLOPs): 989 000 × 3 / 7 = 423 857 milli-TFLOPs, 40 448 MiB.</example>
    public static GpuResources ResourcesOf(MigProfile profile, MigGeometry geometry, GpuResources capacity) =>
        new(capacity.MilliTflops * profile.ComputeSlices / geometry.ComputeSlices, profile.MemoryBytes);

    /// <summary>
    /// Profiles that cover the request, ordered by upstream's waste score
    /// <c>0.6 × (profileTFLOPs − request)/max(request, 1) + 0.4 × (profileGiB − request)/max(request, 1)</c>, then by
    /// fewer memory and compute slices. A named template restricts the list to that profile (if it covers the request).
    /// </summary>
    /// <example>H100, request 100 TFLOPs / 15 GiB: 1g.10gb is too small; 1g.20gb (141.3 TFLOPs, 19.6 GiB) wastes
    /// 0.6 × 0.413 + 0.4 × 0.308 = 0.371; 2g.20gb (282.6 TFLOPs) wastes 0.6 × 1.826 + 0.4 × 0.308 = 1.219; so 1g.20gb first.</example>
    public static IReadOnlyList<MigProfile> Rank(MigGeometry geometry, GpuResources capacity, GpuResources request, string? template)
    {
        var requestTflops = request.Tflops;
        var requestGib = request.VramBytes / (double)ByteSize.Gibibyte;
        return geometry.Profiles
            .Where(profile => template is null
                ? profile.AutoSelectable
                : string.Equals(profile.Name, template, StringComparison.OrdinalIgnoreCase))
            .Select(profile => (profile, resources: ResourcesOf(profile, geometry, capacity)))
            .Where(pair => request.FitsWithin(pair.resources))
            .OrderBy(pair =>
                (0.6 * (pair.resources.Tflops - requestTflops) / Math.Max(requestTflops, 1))
                + (0.4 * ((pair.resources.VramBytes / (double)ByteSize.Gibibyte) - requestGib) / Math.Max(requestGib, 1)))
            .ThenBy(pair => pair.profile.MemorySlices)
            .ThenBy(pair => pair.profile.ComputeSlices)
            .ThenBy(pair => pair.profile.Name, StringComparer.Ordinal)
            .Select(pair => pair.profile)
            .ToArray();
    }
}
