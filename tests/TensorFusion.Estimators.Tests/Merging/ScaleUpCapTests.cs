using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Tests.Merging;

public sealed class ScaleUpCapTests
{
    [Fact]
    public void MaxRequestPerWorker_TwoGpus_TakesTheTightest()
    {
        // GPU a: (20 free + 2 workers × 10) / 2 = 20 TFLOPs; (8e9 + 8e9) / 2 = 8e9 B.
        // GPU b: (4 free + 10) / 1 = 14 TFLOPs; (30e9 + 4e9) / 1 = 34e9 B. Cap = (14, 8e9).
        var cap = ScaleUpCap.MaxRequestPerWorker([new GpuHeadroom(20, 8e9, 20, 8e9, 2), new GpuHeadroom(4, 30e9, 10, 4e9, 1)]);

        Assert.Equal(new ResourceAmount(14, 8e9), cap);
    }

    [Fact]
    public void Apply_RequestAboveTheCap_IsLoweredAndExplained()
    {
        var recommended = new WorkloadResources(new(30, 6e9), new(40, 9e9));

        var capped = ScaleUpCap.Apply(recommended, new ResourceAmount(14, 8e9), out var note);

        Assert.Equal(new WorkloadResources(new(14, 6e9), new(40, 9e9)), capped); // limits are not capped
        Assert.Equal("TFLOPs request 30 TFLOPs capped at the GPUs' headroom 14 TFLOPs", note);
    }

    [Fact]
    public void MaxRequestPerWorker_NoGpus_IsUnbounded()
    {
        var cap = ScaleUpCap.MaxRequestPerWorker([]);

        Assert.Equal(double.PositiveInfinity, cap.Tflops);
    }
}
