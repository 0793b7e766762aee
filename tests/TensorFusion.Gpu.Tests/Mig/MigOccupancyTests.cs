using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Mig;

namespace TensorFusion.Gpu.Tests.Mig;

public sealed class MigOccupancyTests
{
    private static readonly MigGeometry H100 = GpuModelCatalog.Default.Find("H100").Mig!;

    private static MigProfile Profile(string name) => H100.FindProfile(name)!;

    [Fact]
    public void ChooseStart_OneGOnEmptyGpu_KeepsLargeProfilesOpen()
    {
        var occupancy = new MigOccupancy(H100);

        // Start 6 leaves 4g@0, 3g@0 and 2g@0,2,4 placeable; starts 0-3 would block 4g.
        Assert.Equal(6, occupancy.ChooseStart(Profile("1g.10gb")));
    }

    [Fact]
    public void ChooseStart_ThreeGAfterFourG_TakesTheOtherHalf()
    {
        var occupancy = new MigOccupancy(H100);
        Assert.True(occupancy.Occupy(Profile("4g.40gb"), 0));

        Assert.Equal(4, occupancy.ChooseStart(Profile("3g.40gb")));
        Assert.Equal(-1, occupancy.ChooseStart(Profile("4g.40gb")));
    }

    [Fact]
    public void StrandedMemorySlices_SevenOneG_LeavesOneSliceUnusable()
    {
        var occupancy = new MigOccupancy(H100);
        for (var i = 0; i < 7; i++)
        {
            Assert.True(occupancy.Occupy(Profile("1g.10gb"), occupancy.ChooseStart(Profile("1g.10gb"))));
        }

        // 7 compute slices used, slice 7 free but no compute left for anything.
        Assert.Equal(1, occupancy.StrandedMemorySlices);
        Assert.Equal(0, occupancy.StrandedComputeSlices);
    }

    [Fact]
    public void StrandedComputeSlices_FourOneGDoubleMemory_LeavesThreeComputeSlices()
    {
        var occupancy = new MigOccupancy(H100);
        foreach (var start in new[] { 0, 2, 4, 6 })
        {
            Assert.True(occupancy.Occupy(Profile("1g.20gb"), start));
        }

        Assert.Equal(3, occupancy.StrandedComputeSlices);
        Assert.Equal(0, occupancy.StrandedMemorySlices);
    }

    [Fact]
    public void Occupy_OverlappingStart_ReportsOverlapAndVacateRestores()
    {
        var occupancy = new MigOccupancy(H100);
        Assert.True(occupancy.Occupy(Profile("3g.40gb"), 0));

        Assert.False(occupancy.Occupy(Profile("2g.20gb"), 2));
        Assert.True(occupancy.HasOverlap);

        occupancy.Vacate(Profile("2g.20gb"), 2);
        Assert.False(occupancy.HasOverlap);
        Assert.Equal(0b0000_1111, occupancy.UsedMask);
        Assert.Equal(3, occupancy.ComputeUsed);
    }

    [Fact]
    public void Rank_Request100Tflops15Gib_PrefersOneGDoubleMemory()
    {
        var model = GpuModelCatalog.Default.Find("H100");
        var request = Capacity.GpuResources.FromTflops(100, Capacity.ByteSize.FromGibibytes(15));

        var ranked = MigProfileChooser.Rank(model.Mig!, model.Capacity, request, template: null);

        // 1g.10gb (9.75 GiB) is too small; 1g.20gb wastes 0.6 × 0.413 + 0.4 × 0.308 ≈ 0.37, 2g.20gb ≈ 1.22.
        Assert.Equal("1g.20gb", ranked[0].Name);
        Assert.Equal("2g.20gb", ranked[1].Name);
        Assert.DoesNotContain(ranked, profile => profile.Name == "1g.10gb");
    }
}
