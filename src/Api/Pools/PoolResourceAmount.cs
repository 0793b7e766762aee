using System.Text.Json.Serialization;
using k8s.Models;

namespace TensorFusion.Api.Pools;

/// <summary>An amount of pool capacity: GPU TFLOPs and VRAM plus host CPU and memory (all quantities).</summary>
public sealed class PoolResourceAmount
{
    [JsonPropertyName("tflops")]
    public ResourceQuantity? Tflops { get; set; }

    [JsonPropertyName("vram")]
    public ResourceQuantity? Vram { get; set; }

    [JsonPropertyName("cpu")]
    public ResourceQuantity? Cpu { get; set; }

    [JsonPropertyName("memory")]
    public ResourceQuantity? Memory { get; set; }
}
