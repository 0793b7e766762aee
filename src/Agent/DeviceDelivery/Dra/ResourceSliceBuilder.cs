using System.Globalization;
using k8s.Models;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>
/// The node's one ResourceSlice (resource.k8s.io/v1): pool = the node, one device per GPU named <c>gpu-&lt;index&gt;</c>
/// with attributes <c>uuid</c>, <c>model</c>, <c>index</c>, <c>migCapable</c>, <c>migEnabled</c> (and <c>numaNode</c>
/// when known) and capacity <c>memory</c> (bytes) and <c>tflops</c> (dense FP16). Our allocator writes claim
/// allocations itself, so the slice is what users and other schedulers see of the node's GPUs, not an input to it.
/// </summary>
public static class ResourceSliceBuilder
{
    public const string ApiVersion = "resource.k8s.io/v1";

    /// <summary>The slice's object name: <c>&lt;node&gt;-gpu.tensor-fusion.ai</c> (a DNS subdomain, like the node name).</summary>
    public static string SliceName(string nodeName) => $"{nodeName}-{DraDriver.Name}";

    public static V1ResourceSlice Build(string nodeName, IReadOnlyList<DeviceInfo> devices, Func<DeviceInfo, double> tflops, long poolGeneration)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(tflops);
        return new V1ResourceSlice
        {
            ApiVersion = ApiVersion,
            Kind = "ResourceSlice",
            Metadata = new V1ObjectMeta { Name = SliceName(nodeName) },
            Spec = new V1ResourceSliceSpec
            {
                Driver = DraDriver.Name,
                NodeName = nodeName,
                Pool = new V1ResourcePool { Name = nodeName, Generation = poolGeneration, ResourceSliceCount = 1 },
                Devices = devices.OrderBy(d => d.Index).Select(d => Device(d, tflops(d))).ToList(),
            },
        };
    }

    private static V1Device Device(DeviceInfo device, double tflops)
    {
        var attributes = new Dictionary<string, V1DeviceAttribute>
        {
            ["uuid"] = new() { StringValue = device.Uuid },
            ["model"] = new() { StringValue = device.Model },
            ["index"] = new() { IntValue = device.Index },
            ["migCapable"] = new() { BoolValue = device.MigCapable },
            ["migEnabled"] = new() { BoolValue = device.MigEnabled },
        };
        if (device.NumaNode >= 0)
        {
            attributes["numaNode"] = new() { IntValue = device.NumaNode };
        }

        return new V1Device
        {
            Name = DraDriver.DeviceName(device.Uuid),
            Attributes = attributes,
            Capacity = new Dictionary<string, V1DeviceCapacity>
            {
                ["memory"] = new() { Value = new ResourceQuantity(device.MemoryTotalBytes.ToString(CultureInfo.InvariantCulture)) },
                // Whole TFLOPs as a decimal quantity (989.4 → "989400m" would be exact but unreadable; the catalog's are whole).
                ["tflops"] = new() { Value = new ResourceQuantity(Math.Round(tflops, 3).ToString(CultureInfo.InvariantCulture)) },
            },
        };
    }
}
