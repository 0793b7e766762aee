namespace TensorFusion.Gpu.Plans;

/// <summary>Converts a TFLOPs share into the limiter's percentage of the device.</summary>
public static class ComputeShare
{
    /// <summary>
    /// ⌈tflops / deviceTflops × 100⌉ clamped to 1..100 (upstream's computeUpLimit); 0 ("no limit") when
    /// <paramref name="tflops"/> is 0 or the device's capacity is unknown.
    /// Example: 78 TFLOPs on a 312 TFLOPs A100 → ⌈25.0⌉ = 25 %; 1 TFLOP → ⌈0.32⌉ = 1 %.
    /// </summary>
    public static int ToPercent(double tflops, double deviceTflops)
    {
        if (tflops <= 0 || deviceTflops <= 0 || double.IsNaN(tflops) || double.IsNaN(deviceTflops))
        {
            return 0;
        }

        // Rounding noise (78/312*100 = 25.000000000000004) must not push a share to the next percent.
        var percent = Math.Ceiling(Math.Round(tflops / deviceTflops * 100.0, 9));
        return (int)Math.Clamp(percent, 1, 100);
    }

    /// <summary>The TFLOPs a percentage of the device stands for (inverse of <see cref="ToPercent"/> up to rounding).</summary>
    public static double ToTflops(int percent, double deviceTflops) => percent / 100.0 * deviceTflops;
}
