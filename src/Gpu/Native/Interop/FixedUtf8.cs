using System.Text;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>Reads and writes NUL-terminated UTF-8 in fixed-size C char arrays.</summary>
internal static class FixedUtf8
{
    public static string Read(ReadOnlySpan<byte> buffer)
    {
        var length = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(length < 0 ? buffer : buffer[..length]);
    }

    /// <summary>Writes <paramref name="value"/> and a NUL; throws when it does not fit (the C side would truncate).</summary>
    public static void Write(string value, Span<byte> buffer, string fieldName)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount >= buffer.Length)
        {
            throw new ArgumentException($"{fieldName} '{value}' is {byteCount} bytes; at most {buffer.Length - 1} fit.", fieldName);
        }

        buffer.Clear();
        Encoding.UTF8.GetBytes(value, buffer);
    }
}
