using System.Globalization;

namespace TensorFusion.Api.Resources;

/// <summary>
/// Byte counts written into status the way kubectl users read them: "80Gi" when a whole number of GiB, "512Mi" when a
/// whole number of MiB, else plain bytes. Every form parses back to the same quantity.
/// </summary>
public static class ByteQuantity
{
    public static string Format(long bytes) =>
        bytes != 0 && bytes % (1L << 30) == 0 ? (bytes >> 30).ToString(CultureInfo.InvariantCulture) + "Gi"
        : bytes != 0 && bytes % (1L << 20) == 0 ? (bytes >> 20).ToString(CultureInfo.InvariantCulture) + "Mi"
        : bytes.ToString(CultureInfo.InvariantCulture);
}
