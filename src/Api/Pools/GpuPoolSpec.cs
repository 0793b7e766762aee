using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Desired state of a GPU pool: capacity, node selection, isolation, QoS and pricing, component templates.</summary>
public sealed class GpuPoolSpec
{
    [JsonPropertyName("defaultUsingLocalGPU")]
    [Description("Whether workloads that do not say run in local GPU mode; unset means true.")]
    public bool? DefaultUsingLocalGpu { get; set; }

    [JsonPropertyName("capacityConfig")]
    public CapacityConfig? CapacityConfig { get; set; }

    [JsonPropertyName("nodeManagerConfig")]
    [RequiredField]
    public NodeManagerConfig? NodeManagerConfig { get; set; }

    [JsonPropertyName("qosConfig")]
    public QosConfig? QosConfig { get; set; }

    [JsonPropertyName("componentConfig")]
    public ComponentConfig? ComponentConfig { get; set; }

    [JsonPropertyName("schedulingConfigTemplate")]
    [MaxLength(253)]
    [Description("Name of the SchedulingConfigTemplate that governs placement and autoscaling rules.")]
    public string? SchedulingConfigTemplate { get; set; }
}
