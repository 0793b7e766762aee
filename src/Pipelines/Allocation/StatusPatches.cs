using System.Globalization;
using System.Text.Json.Nodes;
using TensorFusion.Api.Resources;
using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Merge-patch bodies for the status aggregates (field names as in the tensor-fusion.ai/v1 status types).</summary>
public static class StatusPatches
{
    public static JsonObject ForGpu(GpuCapacity gpu) => Status(new JsonObject
    {
        ["available"] = Amount(gpu.Available),
        ["runningApps"] = new JsonArray([.. gpu.RunningApps.Select(app => (JsonNode)new JsonObject
        {
            ["name"] = app.Name,
            ["namespace"] = app.Namespace,
            ["count"] = app.Workers,
        })]),
    });

    public static JsonObject ForNode(NodeCapacity node) => Status(new JsonObject
    {
        ["totalTFlops"] = Tflops(node.Total),
        ["totalVRAM"] = Vram(node.Total),
        ["virtualTFlops"] = Tflops(node.Virtual),
        ["virtualVRAM"] = Vram(node.Virtual),
        ["availableTFlops"] = Tflops(node.Available),
        ["availableVRAM"] = Vram(node.Available),
        ["totalGPUs"] = node.Gpus,
        ["managedGPUs"] = node.Gpus,
        ["totalGPUPods"] = node.Workers,
    });

    public static JsonObject ForPool(PoolCapacity pool) => Status(new JsonObject
    {
        ["totalNodes"] = pool.Nodes,
        ["readyNodes"] = pool.ReadyNodes,
        ["notReadyNodes"] = pool.Nodes - pool.ReadyNodes,
        ["totalGPUs"] = pool.Gpus,
        ["totalTFlops"] = Tflops(pool.Total),
        ["totalVRAM"] = Vram(pool.Total),
        ["virtualTFlops"] = Tflops(pool.Virtual),
        ["virtualVRAM"] = Vram(pool.Virtual),
        ["availableTFlops"] = Tflops(pool.Available),
        ["availableVRAM"] = Vram(pool.Available),
        ["runningAppsCnt"] = pool.Workers,
    });

    public static string Tflops(GpuResources amount) => amount.MilliTflops % 1000 == 0
        ? (amount.MilliTflops / 1000).ToString(CultureInfo.InvariantCulture)
        : amount.MilliTflops.ToString(CultureInfo.InvariantCulture) + "m";

    public static string Vram(GpuResources amount) => ByteQuantity.Format(amount.VramBytes);

    private static JsonObject Amount(GpuResources amount) => new() { ["tflops"] = Tflops(amount), ["vram"] = Vram(amount) };

    private static JsonObject Status(JsonObject status) => new() { ["status"] = status };
}
