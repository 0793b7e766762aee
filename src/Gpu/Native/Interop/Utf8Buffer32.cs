using System.Runtime.CompilerServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>A fixed char[32] of a C struct (NUL-terminated UTF-8).</summary>
[InlineArray(32)]
internal struct Utf8Buffer32
{
    private byte _element;
}
