using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent;

/// <summary>
/// Dense FP16 TFLOPs of a device: what the device reports, else the shared GPU catalog's figure for its model name
/// (NVML does not report TFLOPs). Unknown models report 0, so limits stay percentage-free.
/// </summary>
public static class CatalogTflops
{
    public static double Of(DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.MaxTflops > 0 ? device.MaxTflops : GpuModelCatalog.Default.TryFind(device.Model)?.Fp16Tflops ?? 0;
    }
}
