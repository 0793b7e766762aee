using CsCheck;
using TensorFusion.Gpu.Packing;

namespace TensorFusion.Gpu.Tests.Packing;

public sealed class VectorBinBoundTests
{
    [Fact]
    public void ConfigurationLp_SinglesThatCannotShare_CountsOneBinEach()
    {
        // Bins of 989 × 80 (H100 TFLOPs, GiB). 16 singles of 700 × 40 and 16 shares of 100 × 20.
        // Volume: max(12 800/989, 960/80) = ⌈12.94⌉ = 13. No two singles fit one bin (1 400 > 989), so ≥ 16 bins; each
        // single's bin has 289 × 40 left, room for two shares, so 16 bins suffice and the LP proves exactly 16.
        ItemType[] items = [new(700, 40, 16), new(100, 20, 16)];

        Assert.Equal(13, VectorBinBound.Volume(items, 989, 80));
        Assert.Equal(16, VectorBinBound.ConfigurationLp(items, 989, 80));
    }

    [Fact]
    public void ConfigurationLp_TwoDimensionsTradeOff_BeatsEachDimensionAlone()
    {
        // Bins of 10 × 10. Six items of 6 × 1 and six of 1 × 6: by volume max(42/10, 42/10) = ⌈4.2⌉ = 5. A bin holds at
        // most one of each kind (two 6 × 1 need 12 > 10), so every bin holds ≤ 2 items and 12 items need 6 bins.
        ItemType[] items = [new(6, 1, 6), new(1, 6, 6)];

        Assert.Equal(5, VectorBinBound.Volume(items, 10, 10));
        Assert.Equal(6, VectorBinBound.ConfigurationLp(items, 10, 10));
    }

    [Fact]
    public void ConfigurationLp_SmallInstances_NeverExceedsTheBruteForcedOptimum()
    {
        var item = Gen.Select(Gen.Int[0, 10], Gen.Int[0, 10]).Where(size => size.Item1 + size.Item2 > 0);
        Gen.Select(item.Array[1, 8], Gen.Int[6, 12]).Sample((sizes, capacity) =>
        {
            var items = sizes.Select(size => new ItemType(Math.Min(size.Item1, capacity), Math.Min(size.Item2, capacity), 1)).ToArray();
            var optimum = OptimalBins(items, capacity);

            var bound = VectorBinBound.ConfigurationLp(items, capacity, capacity);

            Assert.True(bound <= optimum, $"bound {bound} > optimum {optimum} for [{string.Join(", ", items.Select(i => $"{i.A}×{i.B}"))}] in {capacity}×{capacity}");
            Assert.True(bound >= VectorBinBound.Volume(items, capacity, capacity), $"bound {bound} below the volume bound");
        }, iter: 400);
    }

    /// <summary>The fewest bins by exhaustive search: each item goes into an open bin or a new one.</summary>
    private static int OptimalBins(ItemType[] items, long capacity)
    {
        var best = items.Length;
        var usedA = new long[items.Length];
        var usedB = new long[items.Length];

        void Place(int next, int open)
        {
            if (open >= best)
            {
                return;
            }

            if (next == items.Length)
            {
                best = open;
                return;
            }

            for (var bin = 0; bin <= open && bin < items.Length; bin++)
            {
                if (usedA[bin] + items[next].A > capacity || usedB[bin] + items[next].B > capacity)
                {
                    continue;
                }

                usedA[bin] += items[next].A;
                usedB[bin] += items[next].B;
                Place(next + 1, Math.Max(open, bin + 1));
                usedA[bin] -= items[next].A;
                usedB[bin] -= items[next].B;
            }
        }

        Place(0, 0);
        return best;
    }
}
