using System.Runtime.CompilerServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>A fixed char[64] of a C struct (NUL-terminated UTF-8).</summary>
[InlineArray(64)]
internal struct Utf8Buffer64
{
    private byte _element;
}
