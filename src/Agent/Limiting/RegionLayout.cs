namespace TensorFusion.Agent.Limiting;

/// <summary>
/// Byte offsets of the per-worker accounting region, version 1, exactly as native/include/tfshim_region.h lays it out
/// (the C header _Static_asserts the same numbers; RegionLayoutTests compares these constants with the C reader's
/// view of a region written from C#). Little-endian, fixed width, no pointers.
/// </summary>
public static class RegionLayout
{
    public const ulong Magic = 0x4E47455248534654ul; // "TFSHREGN" read as a little-endian u64
    public const uint Version = 1;
    public const int MaxDevices = 16;
    public const int MaxSlots = 256;
    public const int UuidLength = 96;
    public const uint FlagAgentOwned = 1;

    public const int HeaderSize = 128;
    public const int DeviceOffset = 128;
    public const int DeviceStride = 256;
    public const int SlotOffset = DeviceOffset + (MaxDevices * DeviceStride); // 4224
    public const int SlotStride = 192;
    public const int RegionSize = SlotOffset + (MaxSlots * SlotStride); // 53376

    // Header fields.
    public const int HeaderMagic = 0;
    public const int HeaderVersion = 8;
    public const int HeaderHeaderSize = 12;
    public const int HeaderRegionSize = 16;
    public const int HeaderDeviceCount = 24;
    public const int HeaderSlotCount = 28;
    public const int HeaderFlags = 32;
    public const int HeaderGeneration = 40;
    public const int HeaderHeartbeatNs = 48;
    public const int HeaderDeviceOffset = 56;
    public const int HeaderDeviceStride = 60;
    public const int HeaderSlotOffset = 64;
    public const int HeaderSlotStride = 68;

    // Device entry fields, relative to the entry.
    public const int DeviceUuid = 0;
    public const int DeviceMemorySoftBytes = 96;
    public const int DeviceMemoryHardBytes = 104;
    public const int DeviceComputeSoftPercent = 112;
    public const int DeviceComputeHardPercent = 116;
    public const int DeviceUsedBytes = 120;
    public const int DeviceOverheadBytes = 128;
    public const int DeviceTokens = 136;
    public const int DeviceTokenCapacity = 144;
    public const int DeviceRefillTokensPerSecond = 152;
    public const int DeviceLastRefillNs = 160;
    public const int DeviceLaunchCount = 168;
    public const int DeviceThrottledNs = 176;
    public const int DeviceOomRefusals = 184;
    public const int DeviceReclaimedBytes = 192;
    public const int DeviceLaunchCostTokens = 200;

    // Slot fields, relative to the slot.
    public const int SlotPid = 0;
    public const int SlotPidNamespace = 4;
    public const int SlotStartTime = 8;
    public const int SlotBytes = 16;

    public static int Device(int index) => DeviceOffset + (index * DeviceStride);

    public static int Slot(int index) => SlotOffset + (index * SlotStride);
}
