using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>The pod and node status documents the kubelet stand-in writes.</summary>
public static class PodStatuses
{
    /// <summary>Pending in ContainerCreating; <paramref name="message"/> says what holds the containers back (a claim that
    /// could not be prepared), so `explain workload` and `kubectl get pod -o yaml` show it beside the event.</summary>
    public static void Creating(JsonObject status, JsonObject pod, string now, string? message = null)
    {
        status["phase"] = "Pending";
        status["conditions"] = Conditions(now, ("PodScheduled", true), ("Initialized", true), ("ContainersReady", false), ("Ready", false));
        status["containerStatuses"] = ContainerStatuses(pod, container => message is null
            ? new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } }
            : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating", ["message"] = message } },
            ready: false, restarts: 0, created: false);
    }

    /// <summary>Running and Ready, or Failed ("fail"), or Succeeded ("succeed"), or crash-looping ("crashloop").</summary>
    public static void Started(JsonObject status, JsonObject pod, string behaviour, string address, string now)
    {
        status["podIP"] = address;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = address });
        status["hostIP"] = "192.168.0.1";
        status["startTime"] = now;
        status["qosClass"] ??= "BestEffort";
        switch (behaviour)
        {
            case "fail":
                status["phase"] = "Failed";
                status["reason"] = "Error";
                status["message"] = "simulated failure (annotation tensor-fusion.ai/simulate=fail)";
                status["conditions"] = Conditions(now, ("PodScheduled", true), ("Initialized", true), ("ContainersReady", false), ("Ready", false));
                status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["finishedAt"] = now },
                }, ready: false, restarts: 0);
                break;
            case "succeed":
                // A batch pod that ran to completion (what a Job counts).
                status["phase"] = "Succeeded";
                status["conditions"] = Conditions(now, ("PodScheduled", true), ("Initialized", true), ("ContainersReady", false), ("Ready", false));
                status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["finishedAt"] = now },
                }, ready: false, restarts: 0);
                break;
            case "crashloop":
                status["phase"] = "Running";
                status["conditions"] = Conditions(now, ("PodScheduled", true), ("Initialized", true), ("ContainersReady", false), ("Ready", false));
                status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject
                {
                    ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = "back-off restarting failed container" },
                }, ready: false, restarts: 3);
                break;
            default:
                status["phase"] = "Running";
                status["conditions"] = Conditions(now, ("PodScheduled", true), ("Initialized", true), ("ContainersReady", true), ("Ready", true));
                status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject
                {
                    ["running"] = new JsonObject { ["startedAt"] = now },
                }, ready: true, restarts: 0);
                break;
        }
    }

    public static void NodeReady(JsonObject node, string now)
    {
        if (node["status"] is not JsonObject status)
        {
            status = [];
            node["status"] = status;
        }

        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = "True",
            ["reason"] = "KubeletReady",
            ["message"] = "simulated kubelet is posting ready status",
            ["lastHeartbeatTime"] = now,
            ["lastTransitionTime"] = now,
        });
        // Every field a real kubelet always writes (the OpenAPI schema requires them); the IDs are stable per node name.
        var name = Meta.Name(node) ?? string.Empty;
        status["nodeInfo"] = new JsonObject
        {
            ["machineID"] = StableHex("machine", name, 32),
            ["systemUUID"] = StableGuid("system", name),
            ["bootID"] = StableGuid("boot", name),
            ["kernelVersion"] = "6.1.0-simulated",
            ["osImage"] = "Debian GNU/Linux 12 (simulated)",
            ["containerRuntimeVersion"] = "simulated://1.0",
            ["kubeletVersion"] = "v1.34.0-simulated",
            ["kubeProxyVersion"] = "v1.34.0-simulated",
            ["operatingSystem"] = "linux",
            ["architecture"] = "amd64",
        };
        status["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "192.168.0.1" });
        status["capacity"] ??= new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
        status["allocatable"] ??= status["capacity"]!.DeepClone();
    }

    private static JsonArray Conditions(string now, params (string Type, bool Status)[] conditions) =>
        [.. conditions.Select(condition => (JsonNode)new JsonObject
        {
            ["type"] = condition.Type,
            ["status"] = condition.Status ? "True" : "False",
            ["lastTransitionTime"] = now,
        })];

    /// <summary>
    /// As a real kubelet: <c>imageID</c> is always present (empty until the image is pulled), <c>containerID</c> once the
    /// container exists; both are derived from the pod's uid and image so they are stable across rewrites.
    /// </summary>
    private static JsonArray ContainerStatuses(JsonObject pod, Func<JsonObject, JsonObject> state, bool ready, int restarts, bool created = true) =>
        [.. (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(container =>
        {
            var name = Meta.Text(container, "name") ?? string.Empty;
            var image = Meta.Text(container, "image") ?? string.Empty;
            var entry = new JsonObject
            {
                ["name"] = name,
                ["image"] = image,
                ["imageID"] = created ? $"{image.Split(':')[0]}@sha256:{StableHex("image", image, 64)}" : string.Empty,
                ["ready"] = ready,
                ["restartCount"] = restarts,
                ["started"] = ready,
                ["state"] = state(container),
            };
            if (created)
            {
                entry["containerID"] = $"containerd://{StableHex("container", (Meta.Uid(pod) ?? string.Empty) + "/" + name, 64)}";
            }

            return (JsonNode)entry;
        })];

    private static string StableHex(string purpose, string value, int length) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + value))).ToLowerInvariant()[..length];

    private static string StableGuid(string purpose, string value) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + value))[..16]).ToString();
}
