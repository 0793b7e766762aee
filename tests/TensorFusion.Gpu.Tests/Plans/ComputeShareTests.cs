using CsCheck;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Gpu.Tests.Plans;

public sealed class ComputeShareTests
{
    [Theory]
    [InlineData(78, 312, 25)]    // 78 / 312 = 25.0 % exactly (not 26 from floating-point noise)
    [InlineData(1, 312, 1)]      // 0.32 % rounds up to the 1 % minimum
    [InlineData(500, 312, 100)]  // more than the device clamps to 100 %
    [InlineData(0, 312, 0)]      // no share, no limit
    [InlineData(10, 0, 0)]       // unknown device capacity, no limit
    public void ToPercent_WorkedExamples(double tflops, double device, int expected) =>
        Assert.Equal(expected, ComputeShare.ToPercent(tflops, device));

    [Fact]
    public void ToPercent_IsMonotoneInTflops() =>
        Gen.Select(Gen.Double[0, 1000], Gen.Double[0, 1000], Gen.Double[1, 2000]).Sample((a, b, device) =>
            ComputeShare.ToPercent(Math.Min(a, b), device) <= ComputeShare.ToPercent(Math.Max(a, b), device));

    [Fact]
    public void ToPercent_CoversTheRequest() =>
        Gen.Select(Gen.Double[0.001, 1000], Gen.Double[1, 2000]).Sample((tflops, device) =>
            tflops > device || ComputeShare.ToTflops(ComputeShare.ToPercent(tflops, device), device) >= tflops - 1e-6);
}
