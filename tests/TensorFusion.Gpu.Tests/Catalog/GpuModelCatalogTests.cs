using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;

namespace TensorFusion.Gpu.Tests.Catalog;

public sealed class GpuModelCatalogTests
{
    [Theory]
    [InlineData("H100", "H100-80GB")]
    [InlineData("H100-80GB", "H100-80GB")]
    [InlineData("NVIDIA H100 80GB HBM3", "H100-80GB")]
    [InlineData("h100_sxm5", "H100-80GB")]
    [InlineData("A100-80GB", "A100-80GB")]
    [InlineData("NVIDIA A100-SXM4-40GB", "A100-40GB")]
    [InlineData("H200", "H200-141GB")]
    [InlineData("NVIDIA H100 PCIe", "H100-PCIe")]
    public void Find_NameUsersWrite_ResolvesThroughAliases(string written, string expected)
    {
        Assert.Equal(expected, GpuModelCatalog.Default.Find(written).Name);
    }

    [Fact]
    public void Find_UnknownModel_ErrorListsKnownModels()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => GpuModelCatalog.Default.Find("B300"));

        Assert.Contains("unknown GPU model 'B300'", error.Message, StringComparison.Ordinal);
        Assert.Contains("H100-80GB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_CapacitiesFollowDenseFp16Datasheets()
    {
        var catalog = GpuModelCatalog.Default;

        // Dense = half the sparsity figure: H100 SXM 1979/2 ≈ 989; H100 PCIe 1513/2 ≈ 756 (upstream's table says 835).
        Assert.Equal(989, catalog.Find("H100").Fp16Tflops);
        Assert.Equal(756, catalog.Find("H100-PCIe").Fp16Tflops);
        Assert.Equal(835, catalog.Find("H100-NVL").Fp16Tflops);
        Assert.Equal(312, catalog.Find("A100-40GB").Fp16Tflops);
        Assert.Equal(141L * ByteSize.Gibibyte, catalog.Find("H200").VramBytes);
        Assert.True(catalog.Find("H100").CostPerHour > 0);
    }

    [Theory]
    [InlineData("A100-40GB")]
    [InlineData("A100-80GB")]
    [InlineData("H100-80GB")]
    [InlineData("H200-141GB")]
    public void Default_MigGeometry_MatchesPlacementTable(string model)
    {
        var mig = GpuModelCatalog.Default.Find(model).Mig!;

        Assert.Equal(8, mig.MemorySlices);
        Assert.Equal(7, mig.ComputeSlices);
        // 3g takes four memory slices at starts 0 and 4 (go-nvml mocks say 3 slices; hardware says 4).
        var threeG = mig.Profiles.Single(profile => profile.ProfileId == 9);
        Assert.Equal(4, threeG.MemorySlices);
        Assert.Equal([0, 4], threeG.ValidStarts);
        // 1g double memory (profile 15) starts only on even slices, at most 4.
        var oneGDouble = mig.Profiles.Single(profile => profile.ProfileId == 15);
        Assert.Equal([0, 2, 4, 6], oneGDouble.ValidStarts);
        Assert.Equal(4, oneGDouble.MaxCount);
        Assert.Equal(7, mig.Profiles.Single(profile => profile.ProfileId == 19).MaxCount);
        Assert.False(mig.Profiles.Single(profile => profile.ProfileId == 20).AutoSelectable);
    }

    [Fact]
    public void WithOverrides_PartialEntry_ChangesOnlyGivenFieldsAndAddsNewModels()
    {
        var catalog = GpuModelCatalog.Default.WithOverrides("""
            {"models": [
              {"name": "H100", "costPerHour": 1.5},
              {"name": "B200", "fp16Tflops": 2250, "vramGiB": 180, "aliases": ["NVIDIA B200"]}
            ]}
            """);

        var h100 = catalog.Find("H100-80GB");
        Assert.Equal(1.5, h100.CostPerHour);
        Assert.Equal(989, h100.Fp16Tflops);
        Assert.NotNull(h100.Mig);
        Assert.Equal(2250, catalog.Find("nvidia b200").Fp16Tflops);
    }

    [Fact]
    public void Parse_ModelWithoutTflops_ErrorNamesModelAndField()
    {
        var error = Assert.Throws<InvalidDataException>(() => GpuModelCatalog.Parse("""{"models": [{"name": "X1", "vramGiB": 16}]}"""));

        Assert.Equal("GPU catalog: model 'X1': fp16Tflops must be > 0", error.Message);
    }

    [Fact]
    public void Parse_ProfileStartOverflowingSlices_ErrorNamesProfile()
    {
        const string json = """
            {"models": [{"name": "X1", "fp16Tflops": 100, "vramGiB": 16, "mig": {"memorySlices": 8, "computeSlices": 7,
              "profiles": [{"name": "3g.8gb", "id": 9, "computeSlices": 3, "memorySlices": 4, "memoryMiB": 8192, "starts": [0, 5], "maxCount": 2}]}}]}
            """;

        var error = Assert.Throws<InvalidDataException>(() => GpuModelCatalog.Parse(json));

        Assert.Contains("mig.profiles[0] (3g.8gb).starts", error.Message, StringComparison.Ordinal);
        Assert.Contains("start 5 overflows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasClaimedByTwoModels_ErrorNamesBoth()
    {
        const string json = """
            {"models": [{"name": "X1", "fp16Tflops": 1, "vramGiB": 1, "aliases": ["x"]},
                        {"name": "X2", "fp16Tflops": 1, "vramGiB": 1, "aliases": ["X"]}]}
            """;

        var error = Assert.Throws<InvalidDataException>(() => GpuModelCatalog.Parse(json));

        Assert.Contains("'X1' and 'X2'", error.Message, StringComparison.Ordinal);
    }
}
