using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>Core v1 Events about a pod, as the kubelet of its node records them (source component "kubelet").</summary>
public sealed class KubeletEvents(ResourceOperations operations, ResourceRegistry registry, TimeProvider time)
{
    public async Task RecordAsync(StoredObject pod, string type, string reason, string message)
    {
        var now = Meta.Timestamp(time.GetUtcNow());
        var node = Meta.Text(pod.Value["spec"], "nodeName") ?? string.Empty;
        await operations.CreateAsync(registry.Find(string.Empty, "v1", "events")!, pod.Namespace, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{pod.Name}.{Guid.NewGuid():N}"[..Math.Min(253, pod.Name.Length + 17)] },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Pod", ["namespace"] = pod.Namespace, ["name"] = pod.Name, ["uid"] = Meta.Uid(pod.Value),
            },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message.Length > 1024 ? message[..1024] : message,
            ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = node },
            ["reportingComponent"] = "kubelet",
            ["reportingInstance"] = node,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        }, new WriteOptions());
    }
}
