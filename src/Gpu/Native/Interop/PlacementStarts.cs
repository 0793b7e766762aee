using System.Runtime.CompilerServices;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>uint32_t placement_starts[TFACCEL_MAX_PLACEMENTS] of tfaccel_mig_profile.</summary>
[InlineArray(MigLimits.MaxSlices)]
internal struct PlacementStarts
{
    private uint _element;
}
