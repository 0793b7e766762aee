using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Pools;

/// <summary>Which nodes belong to the pool, how they are provisioned, isolated, compacted and updated.</summary>
public sealed class NodeManagerConfig
{
    [JsonPropertyName("provisioningMode")]
    [DefaultValue("AutoSelect")]
    public ProvisioningMode? ProvisioningMode { get; set; }

    [JsonPropertyName("defaultIsolationMode")]
    [DefaultValue("soft")]
    [Description("Isolation mode of nodes no isolationModeRules entry matches.")]
    public IsolationMode? DefaultIsolationMode { get; set; }

    [JsonPropertyName("isolationModeRules")]
    [MaxItems(32)]
    public List<IsolationModeRule>? IsolationModeRules { get; set; }

    [JsonPropertyName("defaultVendor")]
    [MaxLength(64)]
    [DefaultValue("NVIDIA")]
    public string? DefaultVendor { get; set; }

    [JsonPropertyName("nodeSelector")]
    [Description("Nodes that join the pool.")]
    public V1NodeSelector? NodeSelector { get; set; }

    [JsonPropertyName("multiVendorNodeSelector")]
    [MaxProperties(16, KeyMaxLength = 64)]
    [Description("Per-vendor node selectors, keyed by vendor.")]
    public Dictionary<string, V1NodeSelector>? MultiVendorNodeSelector { get; set; }

    [JsonPropertyName("nodeProvisioner")]
    [PreserveUnknownFields]
    [Description("Cloud or Karpenter provisioning settings; carried as upstream defines them, not acted on.")]
    public JsonObject? NodeProvisioner { get; set; }

    [JsonPropertyName("nodeCompaction")]
    public NodeCompactionConfig? NodeCompaction { get; set; }

    [JsonPropertyName("nodePoolRollingUpdatePolicy")]
    public RollingUpdatePolicy? NodePoolRollingUpdatePolicy { get; set; }
}
