using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Interop;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Native.Devices;

/// <summary>Converts between the C structs of libtfaccel and the port's records.</summary>
internal static class NativeRecordMapper
{
    public static DeviceInfo ToRecord(in NativeDeviceInfo d) => new(
        FixedUtf8.Read(d.Uuid), FixedUtf8.Read(d.Model), (int)d.Index, d.NumaNode, (long)d.MemoryTotalBytes,
        (int)d.SmCount, d.MigCapable != 0, d.MigEnabled != 0, (DeviceHealth)d.Health, d.MaxTflops);

    public static DeviceMetrics ToRecord(in NativeDeviceMetrics m) => new(
        (int)m.Index, (int)m.UtilizationPercent, (long)m.MemoryUsedBytes, m.PowerMilliwatts / 1000.0,
        (int)m.TemperatureCelsius, (DeviceHealth)m.Health, (int)m.LastXid);

    public static ProcessUsage ToRecord(in NativeProcessUsage p) => new(
        (int)p.Pid, (int)p.DeviceIndex, (long)p.MemoryUsedBytes, (int)p.UtilizationPercent,
        p.GpuInstanceId == NativeMethods.NoInstance ? null : (int)p.GpuInstanceId, FixedUtf8.Read(p.WorkerId));

    public static MigProfile ToRecord(in NativeMigProfile p)
    {
        var starts = new int[Math.Min(p.PlacementCount, MigLimits.MaxSlices)];
        for (var i = 0; i < starts.Length; i++)
        {
            starts[i] = (int)p.PlacementStarts[i];
        }

        return new MigProfile(FixedUtf8.Read(p.Name), (int)p.ProfileId, (int)p.ComputeSlices, (int)p.MemorySlices,
            (int)p.MaxCount, (long)p.MemoryBytes, (int)p.SmCount, starts);
    }

    public static MigInstance ToRecord(in NativeMigInstance i) => new(
        FixedUtf8.Read(i.Uuid), (int)i.DeviceIndex, (int)i.GpuInstanceId, (int)i.ComputeInstanceId, (int)i.ProfileId,
        (int)i.PlacementStart, (int)i.PlacementSize);

    public static WorkerLimits ToRecord(in NativeWorkerLimits l) => new(
        FixedUtf8.Read(l.DeviceUuid), (IsolationMode)l.Isolation, (int)l.ComputeSoftPercent, (int)l.ComputeHardPercent,
        (long)l.MemorySoftBytes, (long)l.MemoryHardBytes);

    public static NativeWorkerLimits ToNative(WorkerLimits limits)
    {
        var native = new NativeWorkerLimits
        {
            Isolation = (uint)limits.Isolation,
            ComputeSoftPercent = CheckedUnsigned(limits.ComputeSoftPercent, nameof(limits.ComputeSoftPercent)),
            ComputeHardPercent = CheckedUnsigned(limits.ComputeHardPercent, nameof(limits.ComputeHardPercent)),
            MemorySoftBytes = CheckedUnsigned(limits.MemorySoftBytes, nameof(limits.MemorySoftBytes)),
            MemoryHardBytes = CheckedUnsigned(limits.MemoryHardBytes, nameof(limits.MemoryHardBytes)),
        };
        FixedUtf8.Write(limits.DeviceUuid, native.DeviceUuid, nameof(limits.DeviceUuid));
        return native;
    }

    public static NativeLoadModel ToNative(LoadModel load) => new()
    {
        Kind = (uint)load.Kind,
        Base = load.Base,
        Amplitude = load.Amplitude,
        PeriodSeconds = load.PeriodSeconds,
        StepAtSeconds = load.StepAtSeconds,
        StepLevel = load.StepLevel,
        Noise = load.Noise,
        MemoryBytes = CheckedUnsigned(load.MemoryBytes, nameof(load.MemoryBytes)),
    };

    public static uint CheckedUnsigned(int value, string field) =>
        value >= 0 ? (uint)value : throw new ArgumentOutOfRangeException(field, value, $"{field} must not be negative.");

    public static ulong CheckedUnsigned(long value, string field) =>
        value >= 0 ? (ulong)value : throw new ArgumentOutOfRangeException(field, value, $"{field} must not be negative.");
}
