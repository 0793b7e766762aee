using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Http;

/// <summary>
/// Builds `meta.k8s.io/v1 Table` responses (what `kubectl get` asks for): CRD printer columns, the usual pod, node
/// and namespace columns, otherwise NAME and AGE.
/// </summary>
public sealed class TableBuilder(TimeProvider time)
{
    private static readonly PrinterColumn Age = new("Age", "date", ".metadata.creationTimestamp", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    private static readonly Dictionary<string, PrinterColumn[]> BuiltinColumns = new(StringComparer.Ordinal)
    {
        ["pods"] =
        [
            new("Ready", "string", "#ready", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", "#podStatus", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "#restarts", "The number of times the containers in this pod have been restarted."),
            Age,
            new("IP", "string", ".status.podIP", "IP address allocated to the pod.", 1),
            new("Node", "string", ".spec.nodeName", "Name of the Node this pod is bound to.", 1),
        ],
        ["nodes"] =
        [
            new("Status", "string", "#nodeStatus", "The status of the node"),
            new("Roles", "string", "#roles", "The roles of the node"),
            Age,
            new("Version", "string", ".status.nodeInfo.kubeletVersion", "Kubelet Version reported by the node."),
        ],
        ["namespaces"] = [new("Status", "string", ".status.phase", "The status of the namespace"), Age],
        ["poddisruptionbudgets.policy"] =
        [
            new("Min Available", "string", "#minAvailable", "The minimum number of pods that must be available simultaneously. This can be either an integer or a string specifying a percentage, e.g. \"28%\"."),
            new("Max Unavailable", "string", "#maxUnavailable", "The maximum number of pods that may be unavailable simultaneously. This can be either an integer or a string specifying a percentage, e.g. \"33%\"."),
            new("Allowed Disruptions", "integer", ".status.disruptionsAllowed", "Calculates the maximum number of pods that can be disrupted."),
            Age,
        ],
        ["resourceclaims.resource.k8s.io"] =
        [
            new("State", "string", "#claimState", "A summary of the current state (allocated, pending, reserved, etc.)."),
            new("Devices", "string", "#claimDevices", "The allocated devices as pool/device (for our driver: node/GPU)."),
            Age,
        ],
        ["resourceslices.resource.k8s.io"] =
        [
            new("Node", "string", ".spec.nodeName", "The node which provides the devices of this slice."),
            new("Driver", "string", ".spec.driver", "The name of the DRA driver which published this slice."),
            new("Pool", "string", ".spec.pool.name", "The name of the pool this slice belongs to."),
            Age,
        ],
    };

    public static IReadOnlyList<PrinterColumn> Columns(ResourceType type) =>
        type.PrinterColumns.Count > 0 ? type.PrinterColumns : BuiltinColumns.GetValueOrDefault(type.StorageId) ?? [Age];

    /// <summary>A Table of <paramref name="items"/>; rows carry the full object or, by default, its metadata only.</summary>
    public JsonObject Build(ResourceType type, IEnumerable<JsonObject> items, string resourceVersion, string? continueToken, bool includeObject)
    {
        var columns = Columns(type);
        var definitions = new JsonArray(new JsonObject
        {
            ["name"] = "Name",
            ["type"] = "string",
            ["format"] = "name",
            ["description"] = "Name must be unique within a namespace.",
            ["priority"] = 0,
        });
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type == "date" ? "string" : column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray(JsonValue.Create(Meta.Name(item)));
            foreach (var column in columns)
            {
                cells.Add(Cell(item, column));
            }

            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = includeObject ? item.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion, ["continue"] = continueToken },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private JsonNode? Cell(JsonObject item, PrinterColumn column)
    {
        switch (column.JsonPath)
        {
            case "#ready":
                var statuses = (item["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                var total = (item["spec"]?["containers"] as JsonArray)?.Count ?? statuses.Count;
                return $"{statuses.Count(status => status["ready"]?.GetValue<bool>() == true)}/{total}";
            case "#podStatus":
                return PodStatus(item);
            case "#restarts":
                return ((item["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>()
                    .Sum(status => (int)(JsonText.WholeNumber(status["restartCount"]) ?? 0)) ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
            case "#nodeStatus":
                var ready = SimpleJsonPath.Evaluate(item, ".status.conditions[?(@.type==\"Ready\")].status").FirstOrDefault()?.ToString();
                var status = ready == "True" ? "Ready" : "NotReady";
                return item["spec"]?["unschedulable"]?.GetValue<bool>() == true ? status + ",SchedulingDisabled" : status;
            case "#minAvailable" or "#maxUnavailable":
                return item["spec"]?[column.JsonPath[1..]]?.ToString() ?? "N/A";
            case "#claimState":
                return ClaimState(item);
            case "#claimDevices":
                var results = (item["status"]?["allocation"]?["devices"]?["results"] as JsonArray)?.OfType<JsonObject>()
                    .Select(result => $"{Meta.Text(result, "pool")}/{Meta.Text(result, "device")}").ToList() ?? [];
                return results.Count == 0 ? "<none>" : string.Join(',', results);
            case "#roles":
                var roles = Meta.Labels(item).Keys.Where(key => key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                    .Select(key => key["node-role.kubernetes.io/".Length..]).ToList();
                return roles.Count == 0 ? "<none>" : string.Join(',', roles);
        }

        var values = SimpleJsonPath.Evaluate(item, column.JsonPath).Where(value => value is not null).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        if (column.Type == "date")
        {
            return Meta.ParseTimestamp(values[0]!.ToString()) is { } when ? AgeFormat.Of(time.GetUtcNow() - when) : values[0]!.ToString();
        }

        return values.Count == 1 ? values[0]!.DeepClone() : string.Join(',', values.Select(value => value!.ToString()));
    }

    /// <summary>As a real server's table shows a claim: pending, allocated, allocated,reserved, deleted,allocated,deallocating.</summary>
    private static string ClaimState(JsonObject claim)
    {
        var deleting = Meta.IsDeleting(claim);
        var states = new List<string>();
        if (deleting)
        {
            states.Add("deleted");
        }

        if (claim["status"]?["allocation"] is null)
        {
            states.AddRange(deleting ? [] : ["pending"]);
        }
        else
        {
            states.Add("allocated");
            var reserved = claim["status"]?["reservedFor"] is JsonArray { Count: > 0 };
            states.AddRange(reserved ? ["reserved"] : deleting ? ["deallocating"] : []);
        }

        return string.Join(',', states);
    }

    private static string PodStatus(JsonObject pod)
    {
        if (Meta.IsDeleting(pod))
        {
            return "Terminating";
        }

        var reason = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>()
            .Select(status => Meta.Text(status["state"]?["waiting"], "reason") ?? Meta.Text(status["state"]?["terminated"], "reason"))
            .FirstOrDefault(text => text is not null);
        return reason ?? Meta.Text(pod["status"], "reason") ?? Meta.Text(pod["status"], "phase") ?? "Pending";
    }
}
