using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Observed state of a pool: node and GPU counts, physical and virtual capacity, component rollout.</summary>
public sealed class GpuPoolStatus
{
    [JsonPropertyName("cluster")]
    [MaxLength(253)]
    public string? Cluster { get; set; }

    [JsonPropertyName("phase")]
    [DefaultValue("Pending")]
    public PoolPhase? Phase { get; set; }

    [JsonPropertyName("conditions")]
    [MaxItems(32)]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("totalNodes")]
    [NumberRange(0, 100000)]
    public int? TotalNodes { get; set; }

    [JsonPropertyName("totalGPUs")]
    [NumberRange(0, 1000000)]
    public int? TotalGpus { get; set; }

    [JsonPropertyName("readyNodes")]
    [NumberRange(0, 100000)]
    public int? ReadyNodes { get; set; }

    [JsonPropertyName("notReadyNodes")]
    [NumberRange(0, 100000)]
    public int? NotReadyNodes { get; set; }

    [JsonPropertyName("totalTFlops")]
    public ResourceQuantity? TotalTflops { get; set; }

    [JsonPropertyName("totalVRAM")]
    public ResourceQuantity? TotalVram { get; set; }

    [JsonPropertyName("virtualTFlops")]
    public ResourceQuantity? VirtualTflops { get; set; }

    [JsonPropertyName("virtualVRAM")]
    public ResourceQuantity? VirtualVram { get; set; }

    [JsonPropertyName("availableTFlops")]
    public ResourceQuantity? AvailableTflops { get; set; }

    [JsonPropertyName("availableVRAM")]
    public ResourceQuantity? AvailableVram { get; set; }

    [JsonPropertyName("virtualAvailableTFlops")]
    public ResourceQuantity? VirtualAvailableTflops { get; set; }

    [JsonPropertyName("virtualAvailableVRAM")]
    public ResourceQuantity? VirtualAvailableVram { get; set; }

    [JsonPropertyName("runningAppsCnt")]
    [NumberRange(0, 10000000)]
    public int? RunningAppsCnt { get; set; }

    [JsonPropertyName("componentStatus")]
    public PoolComponentStatus? ComponentStatus { get; set; }

    [JsonPropertyName("savedCostsPerMonth")]
    [MaxLength(32)]
    public string? SavedCostsPerMonth { get; set; }

    [JsonPropertyName("potentialSavingsPerMonth")]
    [MaxLength(32)]
    public string? PotentialSavingsPerMonth { get; set; }

    [JsonPropertyName("budgetExceeded")]
    public bool? BudgetExceeded { get; set; }

    [JsonPropertyName("provisioningPhase")]
    [DefaultValue("None")]
    public PoolProvisioningPhase? ProvisioningPhase { get; set; }

    [JsonPropertyName("lastCompactionTime")]
    public DateTime? LastCompactionTime { get; set; }

    [JsonPropertyName("lastDefragTime")]
    public DateTime? LastDefragTime { get; set; }

    [JsonPropertyName("observedGeneration")]
    [NumberRange(0, long.MaxValue)]
    public long? ObservedGeneration { get; set; }
}
