using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;

namespace TensorFusion.Agent.Limiting;

/// <summary>
/// One worker's accounting region (native/include/tfshim_region.h), created and owned by the agent. The file is
/// published complete (built under a temporary name, renamed into place) and then only changed through the mapping
/// with 32/64-bit atomic operations, because every CUDA process of the worker maps it MAP_SHARED at the same time.
/// An existing region of this layout is reopened, never replaced: processes that already mapped it keep charging
/// the same inode, so a restarted agent must adopt it (its used bytes and slots are the truth).
/// </summary>
public sealed unsafe class WorkerRegion : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    private WorkerRegion(string path)
    {
        Path = path;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, RegionLayout.RegionSize, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    public string Path { get; }

    public int DeviceCount => (int)Volatile.Read(ref U32(RegionLayout.HeaderDeviceCount));

    public long HeartbeatNs => Volatile.Read(ref I64(RegionLayout.HeaderHeartbeatNs));

    public ulong Generation => Volatile.Read(ref U64(RegionLayout.HeaderGeneration));

    /// <summary>Opens the region at <paramref name="path"/> (adopting a valid one) and writes the plan's limits into it.</summary>
    public static WorkerRegion OpenOrCreate(string path, IReadOnlyList<RegionDeviceLimits> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count > RegionLayout.MaxDevices)
        {
            throw new ArgumentException($"a region holds at most {RegionLayout.MaxDevices} devices, the plan gives {devices.Count}", nameof(devices));
        }

        if (!IsValidRegion(path))
        {
            Publish(path, devices.Count);
        }

        var region = new WorkerRegion(path);
        region.SetLimits(devices);
        return region;
    }

    /// <summary>Opens an existing region of this layout without changing it (readers: tests, tools).</summary>
    public static WorkerRegion Open(string path) =>
        IsValidRegion(path) ? new WorkerRegion(path) : throw new InvalidDataException($"{path}: not a version {RegionLayout.Version} accounting region");

    /// <summary>Writes UUIDs and limits; hard figures atomically, since the shim reads them on every call.</summary>
    public void SetLimits(IReadOnlyList<RegionDeviceLimits> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            var entry = RegionLayout.Device(i);
            var uuid = Encoding.ASCII.GetBytes(d.DeviceUuid);
            if (uuid.Length >= RegionLayout.UuidLength)
            {
                throw new ArgumentException($"device UUID '{d.DeviceUuid}' is longer than {RegionLayout.UuidLength - 1} bytes", nameof(devices));
            }

            var field = new Span<byte>(_base + entry + RegionLayout.DeviceUuid, RegionLayout.UuidLength);
            if (!field[..uuid.Length].SequenceEqual(uuid) || field[uuid.Length] != 0)
            {
                field.Clear();
                uuid.CopyTo(field);
            }

            Volatile.Write(ref U64(entry + RegionLayout.DeviceMemorySoftBytes), (ulong)Math.Max(0, d.MemorySoftBytes));
            Volatile.Write(ref U64(entry + RegionLayout.DeviceMemoryHardBytes), (ulong)Math.Max(0, d.MemoryHardBytes));
            Volatile.Write(ref U32(entry + RegionLayout.DeviceComputeSoftPercent), (uint)Math.Clamp(d.ComputeSoftPercent, 0, 100));
            Volatile.Write(ref U32(entry + RegionLayout.DeviceComputeHardPercent), (uint)Math.Clamp(d.ComputeHardPercent, 0, 100));
        }

        Volatile.Write(ref U32(RegionLayout.HeaderDeviceCount), (uint)devices.Count);
        Interlocked.Increment(ref I64(RegionLayout.HeaderGeneration));
    }

    /// <summary>Stores the agent's heartbeat (CLOCK_MONOTONIC ns); the shim stops throttling when it is older than 2 s.</summary>
    public void Heartbeat(long monotonicNs) => Volatile.Write(ref I64(RegionLayout.HeaderHeartbeatNs), monotonicNs);

    /// <summary>
    /// Adds refill tokens to a device's bucket, never beyond <paramref name="capacity"/> (a CAS loop: launches spend
    /// concurrently). The controller's rate is stored in refill_tokens_per_s for readers (metrics, the simulator).
    /// Returns the tokens now in the bucket.
    /// </summary>
    public long Refill(int device, long add, long capacity, long ratePerSecond)
    {
        var entry = Entry(device);
        Volatile.Write(ref I64(entry + RegionLayout.DeviceTokenCapacity), capacity);
        Volatile.Write(ref I64(entry + RegionLayout.DeviceRefillTokensPerSecond), ratePerSecond);
        ref var tokens = ref I64(entry + RegionLayout.DeviceTokens);
        while (true)
        {
            var current = Volatile.Read(ref tokens);
            // A bucket above capacity (capacity just lowered) is left to drain by launches, never raised.
            var next = current >= capacity ? current : Math.Min(capacity, current + add);
            if (Interlocked.CompareExchange(ref tokens, next, current) == current)
            {
                return next;
            }
        }
    }

    /// <summary>NVML-measured memory of the worker's processes beyond what the shim reserved; the shim subtracts it from the limit.</summary>
    public void SetOverhead(int device, long bytes) =>
        Volatile.Write(ref U64(Entry(device) + RegionLayout.DeviceOverheadBytes), (ulong)Math.Max(0, bytes));

    public RegionDeviceCounters Read(int device)
    {
        var e = Entry(device);
        return new RegionDeviceCounters(
            (long)Volatile.Read(ref U64(e + RegionLayout.DeviceUsedBytes)),
            (long)Volatile.Read(ref U64(e + RegionLayout.DeviceOverheadBytes)),
            Volatile.Read(ref I64(e + RegionLayout.DeviceTokens)),
            Volatile.Read(ref I64(e + RegionLayout.DeviceTokenCapacity)),
            Volatile.Read(ref I64(e + RegionLayout.DeviceRefillTokensPerSecond)),
            (long)Volatile.Read(ref U64(e + RegionLayout.DeviceLaunchCount)),
            (long)Volatile.Read(ref U64(e + RegionLayout.DeviceThrottledNs)),
            (long)Volatile.Read(ref U64(e + RegionLayout.DeviceOomRefusals)),
            (long)Volatile.Read(ref U64(e + RegionLayout.DeviceReclaimedBytes)));
    }

    /// <summary>Slots whose owner field is a live claim (pid &gt; 0).</summary>
    public IReadOnlyList<RegionSlot> HeldSlots()
    {
        var held = new List<RegionSlot>();
        for (var i = 0; i < RegionLayout.MaxSlots; i++)
        {
            var slot = RegionLayout.Slot(i);
            var pid = Volatile.Read(ref I32(slot + RegionLayout.SlotPid));
            if (pid > 0)
            {
                held.Add(new RegionSlot(i, pid, Volatile.Read(ref U32(slot + RegionLayout.SlotPidNamespace)),
                    Volatile.Read(ref U64(slot + RegionLayout.SlotStartTime))));
            }
        }

        return held;
    }

    /// <summary>
    /// Releases a dead process's slot by the shim's own steps: claim it (pid → −agent pid, so no sweeping process
    /// takes it at the same time), drain each device's bytes with an atomic exchange (never returned twice), take
    /// them off used_bytes, count them in reclaimed_bytes, free the slot. False when the slot changed owner meanwhile.
    /// </summary>
    public bool Reclaim(RegionSlot slot)
    {
        var offset = RegionLayout.Slot(slot.Index);
        ref var pid = ref I32(offset + RegionLayout.SlotPid);
        if (Interlocked.CompareExchange(ref pid, -Environment.ProcessId, slot.Pid) != slot.Pid)
        {
            return false;
        }

        for (var device = 0; device < RegionLayout.MaxDevices; device++)
        {
            var bytes = Interlocked.Exchange(ref U64(offset + RegionLayout.SlotBytes + (device * 8)), 0);
            if (bytes == 0)
            {
                continue;
            }

            var entry = RegionLayout.Device(device);
            ref var used = ref U64(entry + RegionLayout.DeviceUsedBytes);
            while (true)
            {
                var current = Volatile.Read(ref used);
                var next = current >= bytes ? current - bytes : 0; // never underflow if a charge was already undone
                if (Interlocked.CompareExchange(ref used, next, current) == current)
                {
                    break;
                }
            }

            Interlocked.Add(ref U64(entry + RegionLayout.DeviceReclaimedBytes), bytes);
        }

        Volatile.Write(ref U64(offset + RegionLayout.SlotStartTime), 0);
        Volatile.Write(ref U32(offset + RegionLayout.SlotPidNamespace), 0);
        Volatile.Write(ref pid, 0);
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    /// <summary>True when <paramref name="path"/> holds a complete region of this layout (magic, version, sizes).</summary>
    public static bool IsValidRegion(string path)
    {
        Span<byte> header = stackalloc byte[RegionLayout.HeaderSize];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length < RegionLayout.RegionSize || stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return false;
            }
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(header[RegionLayout.HeaderMagic..]) == RegionLayout.Magic
            && BinaryPrimitives.ReadUInt32LittleEndian(header[RegionLayout.HeaderVersion..]) == RegionLayout.Version
            && BinaryPrimitives.ReadUInt32LittleEndian(header[RegionLayout.HeaderHeaderSize..]) == RegionLayout.HeaderSize
            && BinaryPrimitives.ReadUInt64LittleEndian(header[RegionLayout.HeaderRegionSize..]) == RegionLayout.RegionSize;
    }

    /// <summary>Builds a zeroed region with its header under a temporary name and renames it into place.</summary>
    private static void Publish(string path, int deviceCount)
    {
        var bytes = new byte[RegionLayout.RegionSize];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderVersion..], RegionLayout.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderHeaderSize..], RegionLayout.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(span[RegionLayout.HeaderRegionSize..], RegionLayout.RegionSize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderDeviceCount..], (uint)deviceCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderSlotCount..], RegionLayout.MaxSlots);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderFlags..], RegionLayout.FlagAgentOwned);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderDeviceOffset..], RegionLayout.DeviceOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderDeviceStride..], RegionLayout.DeviceStride);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderSlotOffset..], RegionLayout.SlotOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RegionLayout.HeaderSlotStride..], RegionLayout.SlotStride);
        BinaryPrimitives.WriteUInt64LittleEndian(span[RegionLayout.HeaderMagic..], RegionLayout.Magic); // magic last
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        // 0600 as the shim creates its own: the worker's processes must run as the agent's uid or be given the file.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
        }

        File.Move(temp, path, overwrite: true);
    }

    private int Entry(int device)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)device >= RegionLayout.MaxDevices)
        {
            throw new ArgumentOutOfRangeException(nameof(device), device, $"device entry must be 0..{RegionLayout.MaxDevices - 1}");
        }

        return RegionLayout.Device(device);
    }

    private ref long I64(int offset) => ref *(long*)(_base + offset);

    private ref ulong U64(int offset) => ref *(ulong*)(_base + offset);

    private ref int I32(int offset) => ref *(int*)(_base + offset);

    private ref uint U32(int offset) => ref *(uint*)(_base + offset);
}
