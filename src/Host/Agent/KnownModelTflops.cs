using TensorFusion.Gpu.Devices;

namespace TensorFusion.Host.Agent;

/// <summary>
/// Dense FP16 tensor TFLOPs by GPU model, for devices whose driver does not report it (NVML). The shared GPU catalog
/// in src/Gpu replaces this table once it lands; unknown models report 0 (limits then stay percentage-free).
/// </summary>
public static class KnownModelTflops
{
    private static readonly (string Fragment, double Tflops)[] Table =
    [
        ("H200", 989), ("H100", 989), ("A100", 312), ("L40S", 362), ("L40", 181), ("L4", 121), ("A10", 125), ("T4", 65),
    ];

    public static double Of(DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.MaxTflops > 0)
        {
            return device.MaxTflops;
        }

        foreach (var (fragment, tflops) in Table)
        {
            if (device.Model.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return tflops;
            }
        }

        return 0;
    }
}
