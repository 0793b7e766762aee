using System.Globalization;

namespace TensorFusion.Estimators.Recommendation;

/// <summary>Formats amounts for recommendation messages: TFLOPs to 3 decimals, VRAM in GiB to 3 decimals.</summary>
/// <remarks>Rounds, then prints the shortest round-trip form: much cheaper than a custom "0.###" format, and messages
/// are built for every workload on every pass.</remarks>
public static class ResourceText
{
    public const double GiB = 1024.0 * 1024 * 1024;

    public static string Tflops(double tflops) => Number(tflops) + " TFLOPs";

    public static string Vram(double bytes) => Number(bytes / GiB) + " GiB";

    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "∞" : Math.Round(value, 3).ToString(CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => Math.Round(fraction * 100, 1).ToString(CultureInfo.InvariantCulture) + "%";
}
