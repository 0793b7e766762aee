using System.Globalization;
using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Requests;

/// <summary>
/// The largest per-GPU amounts a request may name. Far above any GPU that exists (the largest today: about 2 500 dense
/// FP16 TFLOPs, 288 GiB), yet small enough that every sum the allocator forms (×128 GPUs, across a pool) stays exact
/// in a long: 10^9 milli-TFLOPs × 128 ≈ 1.3 × 10^11 and 2^50 bytes × 128 = 2^57, both far below 2^63. A larger value
/// is not a bigger request but a mistake (such as "1e400" or "99999999999Ei"), and is refused with the field named.
/// </summary>
public static class RequestBounds
{
    /// <summary>One million TFLOPs per GPU, in milli-TFLOPs.</summary>
    public const long MaxMilliTflops = 1_000_000_000;

    /// <summary>One PiB of VRAM per GPU.</summary>
    public const long MaxVramBytes = 1L << 50;

    /// <summary>Null when <paramref name="amount"/> is within bounds; otherwise what is wrong, naming <paramref name="what"/>.</summary>
    public static string? Check(GpuResources amount, string what)
    {
        if (amount.MilliTflops < 0 || amount.VramBytes < 0)
        {
            return $"{what} must not be negative";
        }

        if (amount.MilliTflops > MaxMilliTflops)
        {
            return $"{what} tflops {(amount.MilliTflops / 1000m).ToString(CultureInfo.InvariantCulture)} is larger than any GPU could be (at most {MaxMilliTflops / 1000} per GPU)";
        }

        return amount.VramBytes > MaxVramBytes
            ? $"{what} vram {amount.VramBytes.ToString(CultureInfo.InvariantCulture)} bytes is larger than any GPU could be (at most 1Pi per GPU)"
            : null;
    }

    /// <summary>
    /// A quantity's value as a decimal, or the reason it cannot be one (too large, not a quantity): never throws, so one
    /// absurd value cannot stop whoever reads it.
    /// </summary>
    public static bool TryDecimal(Func<decimal> read, out decimal value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            value = read();
            problem = null;
            return true;
        }
        catch (Exception e) when (e is OverflowException or FormatException or ArgumentException or InvalidOperationException)
        {
            value = 0;
            problem = e is OverflowException ? "is too large to be a GPU amount" : "is not a non-negative quantity such as 10, 500m or 16Gi";
            return false;
        }
    }
}
