using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Cluster;

/// <summary>A physical GPU as inventoried: name, device index, model name (any alias), phase and node isolation mode.</summary>
/// <param name="Name">GPU object name (unique in the fleet).</param>
/// <param name="Index">Device index on the node.</param>
/// <param name="Model">Model name or alias, resolved through the catalog.</param>
/// <param name="Running">Only running GPUs take work.</param>
/// <param name="IsolationMode">The node's static isolation mode; null accepts any mode.</param>
/// <param name="UsedBy">Null or "tensor-fusion" means ours; anything else (e.g. nvidia-device-plugin) is excluded.</param>
public sealed record GpuSpec(
    string Name,
    int Index,
    string Model,
    bool Running = true,
    string? UsedBy = null,
    IsolationMode? IsolationMode = null);
