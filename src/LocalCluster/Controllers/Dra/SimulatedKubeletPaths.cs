using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>
/// Where a simulated node's kubelet finds kubelet plugins (the plugin registration directory a real kubelet watches,
/// /var/lib/kubelet/plugins_registry) and CDI specs (/etc/cdi, /var/run/cdi; later directories take precedence).
/// Stored as annotations on the Node, so they survive a restart of the embedded control plane. A node without them
/// has no DRA drivers: a pod with resource claims stays ContainerCreating there, with an event saying why.
/// <see cref="SimulatedCdiKinds"/> are CDI kinds the node's (simulated) runtime stands in for when no spec of theirs
/// exists, as local mode does for <c>nvidia.com/gpu</c> on nodes without an NVIDIA driver or toolkit.
/// </summary>
public sealed record SimulatedKubeletPaths(string PluginsRegistry, IReadOnlyList<string> CdiDirectories, IReadOnlyList<string>? SimulatedCdiKinds = null)
{
    public const string PluginsRegistryAnnotation = "local.tensor-fusion.ai/kubelet-plugins-registry";

    /// <summary>CDI spec directories, separated by <see cref="Path.PathSeparator"/>, lowest precedence first.</summary>
    public const string CdiDirectoriesAnnotation = "local.tensor-fusion.ai/cdi-spec-dirs";

    /// <summary>CDI kinds (comma separated) resolved without a spec when none exists: see <see cref="CdiResolver"/>.</summary>
    public const string SimulatedCdiKindsAnnotation = "local.tensor-fusion.ai/cdi-simulated-kinds";

    public static SimulatedKubeletPaths? Of(JsonObject node)
    {
        var annotations = Meta.StringMap(node["metadata"]?["annotations"]);
        return annotations.GetValueOrDefault(PluginsRegistryAnnotation) is { Length: > 0 } registry
            ? new SimulatedKubeletPaths(registry, (annotations.GetValueOrDefault(CdiDirectoriesAnnotation) ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries),
                (annotations.GetValueOrDefault(SimulatedCdiKindsAnnotation) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : null;
    }

    public JsonObject ToAnnotations() => new()
    {
        [PluginsRegistryAnnotation] = PluginsRegistry,
        [CdiDirectoriesAnnotation] = string.Join(Path.PathSeparator, CdiDirectories),
        [SimulatedCdiKindsAnnotation] = string.Join(',', SimulatedCdiKinds ?? []),
    };
}
