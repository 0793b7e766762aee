using System.Runtime.CompilerServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>uint32_t placement_starts[TFACCEL_MAX_PLACEMENTS] of tfaccel_mig_profile.</summary>
[InlineArray(8)]
internal struct PlacementStarts
{
    private uint _element;
}
