using System.Runtime.CompilerServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>A fixed char[128] of a C struct (NUL-terminated UTF-8).</summary>
[InlineArray(128)]
internal struct Utf8Buffer128
{
    private byte _element;
}
