using System.Text.Json.Serialization;

namespace TensorFusion.Api.Pools;

/// <summary>How a pool gets its GPU nodes: provisioned by the engine, selected from existing nodes, or via Karpenter.</summary>
public enum ProvisioningMode
{
    [JsonStringEnumMemberName("Provisioned")]
    Provisioned,

    [JsonStringEnumMemberName("AutoSelect")]
    AutoSelect,

    [JsonStringEnumMemberName("Karpenter")]
    Karpenter,
}
