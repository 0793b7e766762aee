using System.Text.Json.Nodes;
using TensorFusion.Agent.Auth;
using TensorFusion.Api;
using TensorFusion.Api.Connections;

namespace TensorFusion.Host.Operator;

/// <summary>
/// Upstream's <c>GET /api/connection?name=&amp;namespace=</c>: how a remote-mode client finds its worker. Answers from the
/// operator's connection cache, to callers whose bearer token may get that connection (401/403 otherwise): 200 with the connection's status, 400 when a parameter is missing, 404 when there is no
/// such connection, 409 while it has no running worker (the client retries).
/// </summary>
public static class ConnectionLookup
{
    /// <summary>What a caller must be allowed to do to look a connection up: get that TensorFusionConnection.</summary>
    public static AccessRequest AccessFor(string @namespace, string name) =>
        AccessRequest.ForObject("get", TensorFusionApi.Group, "tensorfusionconnections", @namespace, name);

    public static (int Status, JsonObject Body) Answer(Func<string, string, TensorFusionConnection?> find, string? name, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(find);
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(@namespace))
        {
            return (400, Error("both query parameters name and namespace are required"));
        }

        if (find(@namespace, name) is not { } connection)
        {
            return (404, Error($"connection {@namespace}/{name} not found"));
        }

        var status = connection.Status;
        var body = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["phase"] = (status?.Phase ?? ConnectionPhase.Pending).ToString(),
            ["workerName"] = status?.WorkerName,
            ["connectionURL"] = status?.ConnectionUrl,
        };
        return status is { Phase: ConnectionPhase.Running, ConnectionUrl.Length: > 0 } ? (200, body) : (409, body);
    }

    private static JsonObject Error(string message) => new() { ["error"] = message };
}
