using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>Raw bindings to libtfaccel. Every export of native/include/tfaccel.h has exactly one entry here.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = "tfaccel";

    internal const uint NoInstance = uint.MaxValue;

    [LibraryImport(Library, EntryPoint = "tfaccel_abi_version")]
    internal static partial uint AbiVersion();

    [LibraryImport(Library, EntryPoint = "tfaccel_result_name")]
    internal static partial nint ResultName(int result);

    [LibraryImport(Library, EntryPoint = "tfaccel_struct_size")]
    internal static partial uint StructSize(uint structId);

    [LibraryImport(Library, EntryPoint = "tfaccel_init", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Init(uint backend, NativeSimConfig* sim, string? limitsDirectory,
        out AcceleratorContextHandle context);

    [LibraryImport(Library, EntryPoint = "tfaccel_shutdown")]
    internal static partial int Shutdown(nint context);

    [LibraryImport(Library, EntryPoint = "tfaccel_list_devices")]
    internal static partial int ListDevices(AcceleratorContextHandle context, NativeDeviceInfo* buffer, uint capacity,
        out uint count);

    [LibraryImport(Library, EntryPoint = "tfaccel_device_metrics_get")]
    internal static partial int DeviceMetrics(AcceleratorContextHandle context, uint deviceIndex, out NativeDeviceMetrics metrics);

    [LibraryImport(Library, EntryPoint = "tfaccel_list_processes")]
    internal static partial int ListProcesses(AcceleratorContextHandle context, NativeProcessUsage* buffer, uint capacity,
        out uint count);

    [LibraryImport(Library, EntryPoint = "tfaccel_mig_set_mode")]
    internal static partial int MigSetMode(AcceleratorContextHandle context, uint deviceIndex, uint enabled);

    [LibraryImport(Library, EntryPoint = "tfaccel_mig_list_profiles")]
    internal static partial int MigListProfiles(AcceleratorContextHandle context, uint deviceIndex, NativeMigProfile* buffer,
        uint capacity, out uint count);

    [LibraryImport(Library, EntryPoint = "tfaccel_mig_create_instance")]
    internal static partial int MigCreateInstance(AcceleratorContextHandle context, uint deviceIndex, uint profileId,
        uint placementStart, out NativeMigInstance instance);

    [LibraryImport(Library, EntryPoint = "tfaccel_mig_destroy_instance")]
    internal static partial int MigDestroyInstance(AcceleratorContextHandle context, uint deviceIndex, uint gpuInstanceId);

    [LibraryImport(Library, EntryPoint = "tfaccel_mig_list_instances")]
    internal static partial int MigListInstances(AcceleratorContextHandle context, uint deviceIndex, NativeMigInstance* buffer,
        uint capacity, out uint count);

    [LibraryImport(Library, EntryPoint = "tfaccel_limits_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LimitsSet(AcceleratorContextHandle context, string workerId, NativeWorkerLimits* entries,
        uint entryCount);

    [LibraryImport(Library, EntryPoint = "tfaccel_limits_get", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LimitsGet(AcceleratorContextHandle context, string workerId, NativeWorkerLimits* buffer,
        uint capacity, out uint count);

    [LibraryImport(Library, EntryPoint = "tfaccel_limits_remove", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LimitsRemove(AcceleratorContextHandle context, string workerId);

    [LibraryImport(Library, EntryPoint = "tfaccel_limits_list")]
    internal static partial int LimitsList(AcceleratorContextHandle context, NativeWorkerName* buffer, uint capacity,
        out uint count);

    [LibraryImport(Library, EntryPoint = "tfaccel_sim_set_time")]
    internal static partial int SimSetTime(AcceleratorContextHandle context, ulong nowMilliseconds);

    [LibraryImport(Library, EntryPoint = "tfaccel_sim_start_process", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SimStartProcess(AcceleratorContextHandle context, uint pid, uint deviceIndex,
        uint gpuInstanceId, string workerId, in NativeLoadModel load);

    [LibraryImport(Library, EntryPoint = "tfaccel_sim_set_trace")]
    internal static partial int SimSetTrace(AcceleratorContextHandle context, uint pid, double* samples, uint sampleCount,
        double intervalSeconds);

    [LibraryImport(Library, EntryPoint = "tfaccel_sim_stop_process")]
    internal static partial int SimStopProcess(AcceleratorContextHandle context, uint pid);

    /// <summary>libc setenv: the only way to hand TFACCEL_NVML_LIBRARY to the native getenv.</summary>
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Library, EntryPoint = "tfaccel_sim_inject_fault")]
    internal static partial int SimInjectFault(AcceleratorContextHandle context, uint deviceIndex, uint health, uint xid);
}
