using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Http;

/// <summary>A request that fails with a Kubernetes `kind: Status` body (code, reason, message, details).</summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public static ApiException NotFound(string resource, string name) =>
        new(404, "NotFound", $"{resource} \"{name}\" not found", Describe(resource, name));

    public static ApiException AlreadyExists(string resource, string name) =>
        new(409, "AlreadyExists", $"{resource} \"{name}\" already exists", Describe(resource, name));

    public static ApiException Conflict(string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": {why}", Describe(resource, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Invalid(string kind, string name, IReadOnlyList<(string Field, string Message)> causes)
    {
        var details = new JsonObject
        {
            ["name"] = name,
            ["kind"] = kind,
            ["causes"] = new JsonArray([.. causes.Select(cause => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldValueInvalid",
                ["message"] = cause.Message,
                ["field"] = cause.Field,
            })]),
        };
        var summary = string.Join(", ", causes.Select(cause => $"{cause.Field}: {cause.Message}"));
        return new ApiException(422, "Invalid", $"{kind} \"{name}\" is invalid: {summary}", details);
    }

    public static ApiException MethodNotAllowed(string verb) => new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({verb})");

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["details"] = Details?.DeepClone(),
        ["code"] = Code,
    };

    private static JsonObject Describe(string resource, string name)
    {
        var dot = resource.IndexOf('.', StringComparison.Ordinal);
        return new JsonObject
        {
            ["name"] = name,
            ["group"] = dot < 0 ? string.Empty : resource[(dot + 1)..],
            ["kind"] = dot < 0 ? resource : resource[..dot],
        };
    }
}
