using System.Runtime.CompilerServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>A fixed char[96] of a C struct (NUL-terminated UTF-8).</summary>
[InlineArray(96)]
internal struct Utf8Buffer96
{
    private byte _element;
}
