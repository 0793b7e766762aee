using TensorFusion.Gpu.Catalog;

namespace TensorFusion.Gpu.Mig;

/// <summary>
/// Which MIG slices of one GPU are taken. Memory slices keep an occupant count (not just a bit) so that a rebuild
/// from conflicting records can represent, report and later release an overlap exactly.
/// </summary>
public sealed class MigOccupancy
{
    private readonly int[] _sliceOccupants;
    private readonly int[] _profileCounts;

    public MigOccupancy(MigGeometry geometry)
    {
        Geometry = geometry;
        _sliceOccupants = new int[geometry.MemorySlices];
        _profileCounts = new int[geometry.Profiles.Count];
    }

    public MigGeometry Geometry { get; }

    public int ComputeUsed { get; private set; }

    public int InstanceCount { get; private set; }

    /// <summary>Bit i is set when memory slice i is occupied.</summary>
    public int UsedMask { get; private set; }

    public int CountOf(MigProfile profile) => _profileCounts[Geometry.IndexOf(profile)];

    /// <summary>True when an instance of <paramref name="profile"/> can start at <paramref name="start"/>: a valid start, free
    /// memory slices, enough compute slices left, and fewer than the profile's maximum count.</summary>
    public bool CanPlace(MigProfile profile, int start) =>
        CanPlace(profile, start, UsedMask, ComputeUsed, _profileCounts[Geometry.IndexOf(profile)]);

    /// <summary>Occupies the slices; returns false (and still records it) when it overlaps or overflows what is there.</summary>
    public bool Occupy(MigProfile profile, int start)
    {
        var fits = CanPlace(profile, start);
        for (var slice = start; slice < start + profile.MemorySlices && slice < _sliceOccupants.Length; slice++)
        {
            _sliceOccupants[slice]++;
        }

        ComputeUsed += profile.ComputeSlices;
        _profileCounts[Geometry.IndexOf(profile)]++;
        InstanceCount++;
        RecomputeMask();
        return fits;
    }

    public void Vacate(MigProfile profile, int start)
    {
        for (var slice = start; slice < start + profile.MemorySlices && slice < _sliceOccupants.Length; slice++)
        {
            _sliceOccupants[slice]--;
        }

        ComputeUsed -= profile.ComputeSlices;
        _profileCounts[Geometry.IndexOf(profile)]--;
        InstanceCount--;
        RecomputeMask();
    }

    /// <summary>True when some memory slice holds more than one instance (only possible after a conflicting rebuild).</summary>
    public bool HasOverlap => _sliceOccupants.Any(count => count > 1);

    /// <summary>
    /// The start that keeps the largest future profiles placeable, or -1. Each free valid start is scored by how many
    /// placements of every auto-selectable profile remain afterwards, compared largest profile first; ties go to the
    /// lowest start. Placing a 1g on an empty GPU therefore lands on slice 6, leaving 4g@0, 3g@0 and 2g@0,2,4 open.
    /// </summary>
    public int ChooseStart(MigProfile profile)
    {
        var best = -1;
        var bestScore = long.MinValue;
        var index = Geometry.IndexOf(profile);
        foreach (var start in profile.ValidStarts)
        {
            if (!CanPlace(profile, start))
            {
                continue;
            }

            var mask = UsedMask | profile.MaskAt(start);
            var compute = ComputeUsed + profile.ComputeSlices;
            var score = FutureScore(mask, compute, index);
            if (score > bestScore)
            {
                bestScore = score;
                best = start;
            }
        }

        return best;
    }

    /// <summary>Free memory slices that no profile can use any more (no placement covers them within the compute budget).</summary>
    public int StrandedMemorySlices
    {
        get
        {
            var coverable = 0;
            for (var i = 0; i < Geometry.Profiles.Count; i++)
            {
                var profile = Geometry.Profiles[i];
                foreach (var start in profile.ValidStarts)
                {
                    if (CanPlace(profile, start, UsedMask, ComputeUsed, _profileCounts[i]))
                    {
                        coverable |= profile.MaskAt(start);
                    }
                }
            }

            var free = ~UsedMask & ((1 << Geometry.MemorySlices) - 1);
            return System.Numerics.BitOperations.PopCount((uint)(free & ~coverable));
        }
    }

    /// <summary>Free compute slices when no further instance fits at all (e.g. four 1g double-memory instances leave 3).</summary>
    public int StrandedComputeSlices
    {
        get
        {
            var free = Geometry.ComputeSlices - ComputeUsed;
            for (var i = 0; i < Geometry.Profiles.Count; i++)
            {
                var profile = Geometry.Profiles[i];
                if (profile.ValidStarts.Any(start => CanPlace(profile, start, UsedMask, ComputeUsed, _profileCounts[i])))
                {
                    return 0;
                }
            }

            return Math.Max(0, free);
        }
    }

    private bool CanPlace(MigProfile profile, int start, int usedMask, int computeUsed, int count) =>
        profile.ValidStarts.Contains(start)
        && (usedMask & profile.MaskAt(start)) == 0
        && computeUsed + profile.ComputeSlices <= Geometry.ComputeSlices
        && count < profile.MaxCount;

    private long FutureScore(int mask, int compute, int placedIndex)
    {
        // Profiles ordered by size, largest first; each contributes one base-8 digit (count of open placements, ≤ 7).
        long score = 0;
        foreach (var i in Geometry.Profiles
                     .Select((profile, i) => (profile, i))
                     .Where(pair => pair.profile.AutoSelectable)
                     .OrderByDescending(pair => pair.profile.MemorySlices)
                     .ThenByDescending(pair => pair.profile.ComputeSlices)
                     .Select(pair => pair.i))
        {
            var profile = Geometry.Profiles[i];
            var count = _profileCounts[i] + (i == placedIndex ? 1 : 0);
            var open = profile.ValidStarts.Count(start => CanPlace(profile, start, mask, compute, count));
            score = (score * 8) + Math.Min(open, 7);
        }

        return score;
    }

    private void RecomputeMask()
    {
        var mask = 0;
        for (var slice = 0; slice < _sliceOccupants.Length; slice++)
        {
            if (_sliceOccupants[slice] > 0)
            {
                mask |= 1 << slice;
            }
        }

        UsedMask = mask;
    }
}
