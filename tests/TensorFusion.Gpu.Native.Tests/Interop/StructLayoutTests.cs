using System.Runtime.CompilerServices;
using TensorFusion.Gpu.Native.Interop;

namespace TensorFusion.Gpu.Native.Tests.Interop;

/// <summary>The C# mirrors of the C structs must match the compiled library byte for byte.</summary>
public sealed class StructLayoutTests
{
    [Fact]
    public void SizeOf_EveryStruct_MatchesCompiledLibraryAndPinnedSize()
    {
        // (struct id of tfaccel_struct_size, C# size, size pinned in native/tests/abi_test.c)
        (uint Id, int Managed, int Pinned)[] structs =
        [
            (1, Unsafe.SizeOf<NativeSimConfig>(), 112),
            (2, Unsafe.SizeOf<NativeDeviceInfo>(), 200),
            (3, Unsafe.SizeOf<NativeDeviceMetrics>(), 32),
            (4, Unsafe.SizeOf<NativeProcessUsage>(), 152),
            (5, Unsafe.SizeOf<NativeMigProfile>(), 96),
            (6, Unsafe.SizeOf<NativeMigInstance>(), 120),
            (7, Unsafe.SizeOf<NativeWorkerLimits>(), 128),
            (8, Unsafe.SizeOf<NativeWorkerName>(), 128),
            (9, Unsafe.SizeOf<NativeLoadModel>(), 64),
        ];

        foreach (var (id, managed, pinned) in structs)
        {
            Assert.Equal(pinned, managed);
            Assert.Equal((uint)managed, NativeMethods.StructSize(id));
        }
    }

    [Fact]
    public void OffsetOf_DeviceInfoFields_MatchCLayout()
    {
        var info = default(NativeDeviceInfo);

        // uuid[96] + model[64] = 160; index 160, numa 164, memory 168 (8-aligned), sm 176 ... max_tflops 192.
        Assert.Equal(160, Offset(ref info, ref info.Index));
        Assert.Equal(168, Offset(ref info, ref info.MemoryTotalBytes));
        Assert.Equal(188, Offset(ref info, ref info.Health));
        Assert.Equal(192, Offset(ref info, ref info.MaxTflops));
    }

    [Fact]
    public void OffsetOf_ProcessAndProfileFields_MatchCLayout()
    {
        var process = default(NativeProcessUsage);
        var profile = default(NativeMigProfile);
        var limits = default(NativeWorkerLimits);

        Assert.Equal(8, Offset(ref process, ref process.MemoryUsedBytes));
        Assert.Equal(24, Offset(ref process, ref process.WorkerId));
        Assert.Equal(48, Offset(ref profile, ref profile.MemoryBytes));
        Assert.Equal(64, Offset(ref profile, ref profile.PlacementStarts));
        Assert.Equal(112, Offset(ref limits, ref limits.MemorySoftBytes));
    }

    private static long Offset<TStruct, TField>(ref TStruct owner, ref TField field) =>
        Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref owner), ref Unsafe.As<TField, byte>(ref field));
}
