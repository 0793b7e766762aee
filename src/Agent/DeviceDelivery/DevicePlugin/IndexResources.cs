using System.Globalization;

namespace TensorFusion.Agent.DeviceDelivery.DevicePlugin;

/// <summary>
/// Upstream TensorFusion's way to tell the kubelet's Allocate which pod it serves: 16 extended resources
/// <c>tensor-fusion.ai/index_0 … index_f</c>, each advertising 36 dummy devices (1 + 2 + … + 8, so every count 1…8 can
/// be held at once). A worker whose pod has index <c>i</c> (annotation <c>tensor-fusion.ai/index</c>, 1–128, unique per
/// node) asks for <c>n = (i − 1) mod 8 + 1</c> devices of resource <c>k = (i − 1) div 8</c>; Allocate sees k and n and
/// recovers <c>i = 8k + n</c>.
/// </summary>
public static class IndexResources
{
    public const int ResourceCount = 16;
    public const int MaxDevicesPerRequest = 8;

    /// <summary>1 + 2 + … + 8.</summary>
    public const int DevicesPerResource = MaxDevicesPerRequest * (MaxDevicesPerRequest + 1) / 2;

    public const string Prefix = "tensor-fusion.ai/index_";

    /// <summary><c>tensor-fusion.ai/index_&lt;hex k&gt;</c>.</summary>
    public static string ResourceName(int resource) => Prefix + resource.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The plugin's socket file in the device-plugins directory.</summary>
    public static string SocketName(int resource) => $"tensor-fusion-index_{resource.ToString("x", CultureInfo.InvariantCulture)}.sock";

    /// <summary>Dummy device ids of a resource (≤ 63 characters, as the kubelet requires).</summary>
    public static IReadOnlyList<string> DeviceIds(int resource) =>
        Enumerable.Range(0, DevicesPerResource).Select(i => $"index_{resource.ToString("x", CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();

    /// <summary>The pod index an Allocate on <paramref name="resource"/> with <paramref name="deviceCount"/> ids means.</summary>
    public static int PodIndex(int resource, int deviceCount) => resource * MaxDevicesPerRequest + deviceCount;

    /// <summary>The resource and count a pod with index <paramref name="podIndex"/> asks for (what the webhook injects).</summary>
    public static (int Resource, int Count) RequestOf(int podIndex) => ((podIndex - 1) / MaxDevicesPerRequest, (podIndex - 1) % MaxDevicesPerRequest + 1);
}
