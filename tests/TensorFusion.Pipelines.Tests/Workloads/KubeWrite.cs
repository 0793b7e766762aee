using System.Text.Json.Nodes;

namespace TensorFusion.Pipelines.Tests.Workloads;

/// <summary>One write the code under test sent to the API: method, path (no query) and JSON body (null when none).</summary>
internal sealed record KubeWrite(string Method, string Path, JsonNode? Body)
{
    /// <summary>The <c>metadata.name</c> of the body (a created object's name).</summary>
    public string? Name => (string?)Body?["metadata"]?["name"];
}
