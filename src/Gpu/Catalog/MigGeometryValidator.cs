using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Catalog;

/// <summary>Turns a MIG JSON section into a <see cref="MigGeometry"/>, rejecting placements the slice model cannot hold.</summary>
internal static class MigGeometryValidator
{
    public static MigGeometry Build(string model, MigGeometryEntry entry)
    {
        if (entry.MemorySlices is < 1 or > 30 || entry.ComputeSlices < 1)
        {
            throw new InvalidDataException($"GPU catalog: model '{model}': mig.memorySlices must be 1-30 and mig.computeSlices ≥ 1");
        }

        var profiles = new List<MigProfile>();
        foreach (var (profile, index) in (entry.Profiles ?? []).Select((profile, index) => (profile, index)))
        {
            var where = $"GPU catalog: model '{model}': mig.profiles[{index}]";
            if (string.IsNullOrWhiteSpace(profile.Name))
            {
                throw new InvalidDataException($"{where}.name is required");
            }

            if (profile.ComputeSlices < 1 || profile.ComputeSlices > entry.ComputeSlices)
            {
                throw new InvalidDataException($"{where} ({profile.Name}).computeSlices must be 1-{entry.ComputeSlices}");
            }

            if (profile.MemorySlices < 1 || profile.MemorySlices > entry.MemorySlices)
            {
                throw new InvalidDataException($"{where} ({profile.Name}).memorySlices must be 1-{entry.MemorySlices}");
            }

            var starts = profile.Starts ?? [];
            var badStart = starts.FirstOrDefault(start => start < 0 || start + profile.MemorySlices > entry.MemorySlices, -1);
            if (starts.Count == 0 || badStart >= 0)
            {
                throw new InvalidDataException(
                    $"{where} ({profile.Name}).starts must be non-empty and each start + memorySlices ≤ {entry.MemorySlices}" +
                    (badStart >= 0 ? $" (start {badStart} overflows)" : string.Empty));
            }

            if (profile.MaxCount < 1 || profile.MemoryMiB <= 0)
            {
                throw new InvalidDataException($"{where} ({profile.Name}): maxCount must be ≥ 1 and memoryMiB > 0");
            }

            profiles.Add(new MigProfile(
                profile.Name,
                profile.Id,
                profile.ComputeSlices,
                profile.MemorySlices,
                ByteSize.FromMebibytes(profile.MemoryMiB),
                [.. starts.Order()],
                profile.MaxCount,
                profile.AutoSelectable ?? true));
        }

        return new MigGeometry(entry.MemorySlices, entry.ComputeSlices, profiles);
    }
}
