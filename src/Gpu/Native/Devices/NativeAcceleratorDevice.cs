using System.Runtime.InteropServices;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Interop;
using static TensorFusion.Gpu.Native.Devices.NativeRecordMapper;

namespace TensorFusion.Gpu.Native.Devices;

/// <summary>
/// <see cref="IAcceleratorDevice"/> over libtfaccel (NVML or the simulator). Thread-safe: calls into one native
/// context are serialised, because the C library does no locking inside a context.
/// </summary>
public sealed unsafe class NativeAcceleratorDevice : IAcceleratorDevice, ISimulatedAccelerator
{
    private const int ResourceExhausted = (int)AcceleratorError.ResourceExhausted;
    private readonly AcceleratorContextHandle _context;
    private readonly Lock _gate = new();

    private NativeAcceleratorDevice(AcceleratorContextHandle context, bool isSimulator)
    {
        _context = context;
        IsSimulator = isSimulator;
    }

    private delegate int ListCall<T>(T* buffer, uint capacity, out uint count) where T : unmanaged;

    public bool IsSimulator { get; }

    /// <summary>Opens the NVML backend; throws <see cref="AcceleratorException"/> with
    /// <see cref="AcceleratorError.NoDriver"/> on a machine without the NVIDIA driver.</summary>
    public static NativeAcceleratorDevice OpenNvml(string? limitsDirectory, string? nvmlLibraryPath = null)
    {
        if (nvmlLibraryPath is not null)
        {
            // libtfaccel reads TFACCEL_NVML_LIBRARY with getenv; .NET's SetEnvironmentVariable does not reach the
            // native environment on Unix, so set it through libc.
            if (NativeMethods.SetEnv("TFACCEL_NVML_LIBRARY", nvmlLibraryPath, 1) != 0)
            {
                throw new AcceleratorException(AcceleratorError.InvalidArgument, $"--nvml-library '{nvmlLibraryPath}' could not be set");
            }
        }

        Check(NativeMethods.Init(0, null, limitsDirectory, out var context), "open NVML backend");
        return new NativeAcceleratorDevice(context, isSimulator: false);
    }

    /// <summary>Opens a simulated node.</summary>
    public static NativeAcceleratorDevice OpenSimulator(SimulatorOptions options, string? limitsDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new NativeSimConfig
        {
            DeviceCount = CheckedUnsigned(options.DeviceCount, nameof(options.DeviceCount)),
            Seed = options.Seed,
        };
        FixedUtf8.Write(options.Model, config.Model, nameof(options.Model));
        FixedUtf8.Write(options.UuidPrefix, config.UuidPrefix, nameof(options.UuidPrefix));
        var result = NativeMethods.Init(1, &config, limitsDirectory, out var context);
        if (result == (int)AcceleratorError.InvalidArgument)
        {
            context.Dispose();
            throw new AcceleratorException(AcceleratorError.InvalidArgument,
                $"open simulator failed: model '{options.Model}' is not in the catalog (A100-40GB, A100-80GB, H100-80GB, " +
                $"H200-141GB, L4) or DeviceCount {options.DeviceCount} is outside 1..16.");
        }

        Check(result, "open simulator");
        return new NativeAcceleratorDevice(context, isSimulator: true);
    }

    public IReadOnlyList<DeviceInfo> ListDevices() =>
        ListAll<NativeDeviceInfo>("list devices", (NativeDeviceInfo* b, uint c, out uint n) =>
            NativeMethods.ListDevices(_context, b, c, out n), 16).Select(d => ToRecord(d)).ToArray();

    public DeviceMetrics GetMetrics(int deviceIndex)
    {
        lock (_gate)
        {
            Check(NativeMethods.DeviceMetrics(_context, Index(deviceIndex), out var metrics), $"metrics of device {deviceIndex}");
            return ToRecord(metrics);
        }
    }

    public IReadOnlyList<ProcessUsage> ListProcesses() =>
        ListAll<NativeProcessUsage>("list processes", (NativeProcessUsage* b, uint c, out uint n) =>
            NativeMethods.ListProcesses(_context, b, c, out n), 32).Select(p => ToRecord(p)).ToArray();

    public void SetMigMode(int deviceIndex, bool enabled)
    {
        lock (_gate)
        {
            Check(NativeMethods.MigSetMode(_context, Index(deviceIndex), enabled ? 1u : 0u),
                $"set MIG mode {(enabled ? "on" : "off")} on device {deviceIndex}");
        }
    }

    public IReadOnlyList<MigProfile> ListMigProfiles(int deviceIndex) =>
        ListAll<NativeMigProfile>($"list MIG profiles of device {deviceIndex}", (NativeMigProfile* b, uint c, out uint n) =>
            NativeMethods.MigListProfiles(_context, Index(deviceIndex), b, c, out n), 16).Select(p => ToRecord(p)).ToArray();

    public MigInstance CreateMigInstance(int deviceIndex, int profileId, int placementStart)
    {
        lock (_gate)
        {
            Check(NativeMethods.MigCreateInstance(_context, Index(deviceIndex), CheckedUnsigned(profileId, nameof(profileId)),
                    CheckedUnsigned(placementStart, nameof(placementStart)), out var instance),
                $"create MIG instance of profile {profileId} at start {placementStart} on device {deviceIndex}");
            return ToRecord(instance);
        }
    }

    public void DestroyMigInstance(int deviceIndex, int gpuInstanceId)
    {
        lock (_gate)
        {
            Check(NativeMethods.MigDestroyInstance(_context, Index(deviceIndex), CheckedUnsigned(gpuInstanceId, nameof(gpuInstanceId))),
                $"destroy MIG instance {gpuInstanceId} on device {deviceIndex}");
        }
    }

    public IReadOnlyList<MigInstance> ListMigInstances(int deviceIndex) =>
        ListAll<NativeMigInstance>($"list MIG instances of device {deviceIndex}", (NativeMigInstance* b, uint c, out uint n) =>
            NativeMethods.MigListInstances(_context, Index(deviceIndex), b, c, out n), MigLimits.MaxSlices).Select(i => ToRecord(i)).ToArray();

    public void SetWorkerLimits(string workerId, IReadOnlyList<WorkerLimits> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var entries = limits.Select(ToNative).ToArray();
        lock (_gate)
        {
            fixed (NativeWorkerLimits* pointer = entries)
            {
                Check(NativeMethods.LimitsSet(_context, workerId, pointer, (uint)entries.Length), $"set limits of worker '{workerId}'");
            }
        }
    }

    public IReadOnlyList<WorkerLimits> GetWorkerLimits(string workerId)
    {
        try
        {
            return ListAll<NativeWorkerLimits>($"get limits of worker '{workerId}'", (NativeWorkerLimits* b, uint c, out uint n) =>
                NativeMethods.LimitsGet(_context, workerId, b, c, out n), 16).Select(l => ToRecord(l)).ToArray();
        }
        catch (AcceleratorException e) when (e.Error == AcceleratorError.NotFound)
        {
            return [];
        }
    }

    public bool RemoveWorkerLimits(string workerId)
    {
        lock (_gate)
        {
            var result = NativeMethods.LimitsRemove(_context, workerId);
            if (result == (int)AcceleratorError.NotFound)
            {
                return false;
            }

            Check(result, $"remove limits of worker '{workerId}'");
            return true;
        }
    }

    public IReadOnlyList<string> ListLimitedWorkers() =>
        ListAll<NativeWorkerName>("list limited workers", (NativeWorkerName* b, uint c, out uint n) =>
            NativeMethods.LimitsList(_context, b, c, out n), 64).Select(w => FixedUtf8.Read(w.WorkerId)).ToArray();

    public void SetTime(long nowMilliseconds)
    {
        lock (_gate)
        {
            Check(NativeMethods.SimSetTime(_context, CheckedUnsigned(nowMilliseconds, nameof(nowMilliseconds))), "set simulator time");
        }
    }

    public void StartProcess(int pid, int deviceIndex, int? gpuInstanceId, string workerId, LoadModel load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var native = ToNative(load);
        var instance = gpuInstanceId is { } id ? CheckedUnsigned(id, nameof(gpuInstanceId)) : NativeMethods.NoInstance;
        var processId = CheckedUnsigned(pid, nameof(pid));
        lock (_gate)
        {
            Check(NativeMethods.SimStartProcess(_context, processId, Index(deviceIndex), instance, workerId, in native),
                $"start simulated process {pid} on device {deviceIndex}");
            if (load.Kind == LoadKind.Trace && load.Trace.Count > 0)
            {
                var samples = load.Trace.ToArray();
                fixed (double* pointer = samples)
                {
                    Check(NativeMethods.SimSetTrace(_context, processId, pointer, (uint)samples.Length, load.TraceIntervalSeconds),
                        $"set trace of simulated process {pid}");
                }
            }
        }
    }

    public bool StopProcess(int pid)
    {
        lock (_gate)
        {
            var result = NativeMethods.SimStopProcess(_context, CheckedUnsigned(pid, nameof(pid)));
            if (result == (int)AcceleratorError.NotFound)
            {
                return false;
            }

            Check(result, $"stop simulated process {pid}");
            return true;
        }
    }

    public void InjectFault(int deviceIndex, DeviceHealth health, int xid = 0)
    {
        lock (_gate)
        {
            Check(NativeMethods.SimInjectFault(_context, Index(deviceIndex), (uint)health, CheckedUnsigned(xid, nameof(xid))),
                $"inject fault on device {deviceIndex}");
        }
    }

    public void Dispose() => _context.Dispose();

    /// <summary>The C library's name for a result code ("in use", "no NVIDIA driver", ...).</summary>
    public static string ResultName(AcceleratorError error) =>
        Marshal.PtrToStringUTF8(NativeMethods.ResultName((int)error)) ?? error.ToString();

    private static uint Index(int deviceIndex) => CheckedUnsigned(deviceIndex, nameof(deviceIndex));

    private static void Check(int result, string operation)
    {
        if (result != 0)
        {
            var error = (AcceleratorError)result;
            throw new AcceleratorException(error, $"{operation} failed: {ResultName(error)} ({error}).");
        }
    }

    private T[] ListAll<T>(string operation, ListCall<T> call, int initialCapacity) where T : unmanaged
    {
        var capacity = (uint)initialCapacity;
        lock (_gate)
        {
            // The count can grow between the sizing call and the retry; a few rounds settle it.
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var buffer = new T[capacity];
                int result;
                uint count;
                fixed (T* pointer = buffer)
                {
                    result = call(pointer, capacity, out count);
                }

                if (result == ResourceExhausted && count > capacity)
                {
                    capacity = count;
                    continue;
                }

                Check(result, operation);
                return buffer[..(int)count];
            }
        }

        throw new AcceleratorException(AcceleratorError.Internal, $"{operation} failed: the result kept growing.");
    }
}
