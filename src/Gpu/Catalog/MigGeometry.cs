namespace TensorFusion.Gpu.Catalog;

/// <summary>The MIG shape of a GPU model: memory and compute slice counts and the profiles it offers.</summary>
public sealed record MigGeometry(int MemorySlices, int ComputeSlices, IReadOnlyList<MigProfile> Profiles)
{
    public MigProfile? FindProfile(string name) =>
        Profiles.FirstOrDefault(profile => string.Equals(profile.Name, name, StringComparison.OrdinalIgnoreCase));

    public int IndexOf(MigProfile profile)
    {
        for (var i = 0; i < Profiles.Count; i++)
        {
            if (ReferenceEquals(Profiles[i], profile) || Profiles[i] == profile)
            {
                return i;
            }
        }

        return -1;
    }
}
