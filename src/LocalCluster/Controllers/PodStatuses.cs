using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>The pod and node status documents the kubelet stand-in writes.</summary>
public static class PodStatuses
{
    public static void Creating(JsonObject status, JsonObject pod, string now)
    {
        status["phase"] = "Pending";
        status["conditions"] = Conditions(now, ("PodScheduled", true), ("Initialized", true), ("ContainersReady", false), ("Ready", false));
        status["containerStatuses"] = ContainerStatuses(pod, container => new JsonObject
        {
            ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" },
        }, ready: false, restarts: 0);
    }

    /// <summary>Running and Ready, or Failed ("fail"), or crash-looping ("crashloop").</summary>
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
        status["nodeInfo"] = new JsonObject
        {
            ["kubeletVersion"] = "v1.32.0-simulated",
            ["containerRuntimeVersion"] = "simulated://1.0",
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

    private static JsonArray ContainerStatuses(JsonObject pod, Func<JsonObject, JsonObject> state, bool ready, int restarts) =>
        [.. (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(container => (JsonNode)new JsonObject
        {
            ["name"] = Meta.Text(container, "name"),
            ["image"] = Meta.Text(container, "image"),
            ["ready"] = ready,
            ["restartCount"] = restarts,
            ["started"] = ready,
            ["state"] = state(container),
        })];
}
