namespace TensorFusion.Gpu.Native.Tests.Nvml;

/// <summary>
/// Tests that point TFACCEL_NVML_LIBRARY (process-wide, read by the native getenv) at the fake driver run alone, so
/// another test's OpenNvml never reads the fake's path or the fake a path another test set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NvmlEnvironment
{
    public const string Name = "NVML environment";
}
