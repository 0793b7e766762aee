using System.Globalization;

namespace TensorFusion.Estimators.Recommendation;

/// <summary>Formats amounts for recommendation messages: TFLOPs to 3 decimals, VRAM in GiB with the exact bytes alongside.</summary>
public static class ResourceText
{
    public const double GiB = 1024.0 * 1024 * 1024;

    public static string Tflops(double tflops) =>
        double.IsPositiveInfinity(tflops) ? "∞ TFLOPs" : string.Create(CultureInfo.InvariantCulture, $"{tflops:0.###} TFLOPs");

    public static string Vram(double bytes) =>
        double.IsPositiveInfinity(bytes) ? "∞ B" : string.Create(CultureInfo.InvariantCulture, $"{bytes / GiB:0.###} GiB");

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.#}%");
}
