using System.Globalization;

namespace TensorFusion.Gpu.Capacity;

/// <summary>Binary byte units as Kubernetes quantities write them (Ki, Mi, Gi, Ti).</summary>
public static class ByteSize
{
    public const long Mebibyte = 1L << 20;
    public const long Gibibyte = 1L << 30;

    public static long FromGibibytes(double gibibytes) => (long)Math.Round(gibibytes * Gibibyte, MidpointRounding.AwayFromZero);

    public static long FromMebibytes(double mebibytes) => (long)Math.Round(mebibytes * Mebibyte, MidpointRounding.AwayFromZero);

    /// <summary>Formats bytes with the largest binary unit that keeps the value at least 1, e.g. 16Gi or 1.5Gi.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.##", CultureInfo.InvariantCulture) + units[unit];
    }
}
