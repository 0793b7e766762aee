using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Resources;

/// <summary>
/// An amount of one GPU's resources (upstream <c>Resource</c>): compute in dense FP16 TFLOPs and VRAM in bytes, both
/// Kubernetes quantities (<c>"10"</c>, <c>"500m"</c>, <c>"16Gi"</c>). <see cref="Compute"/> is the alternative
/// 0–100 percent of a whole GPU, mutually exclusive with TFLOPs and outside quota accounting.
/// </summary>
[ValidationRule("!has(self.tflops) || !has(self.compute)", "tflops and compute are mutually exclusive",
    ManifestValidatorRule = "TflopsOrComputePercent")]
public sealed class GpuResourceAmount
{
    [JsonPropertyName("tflops")]
    [Description("Compute in dense FP16 TFLOPs, e.g. \"10\" or \"500m\".")]
    public ResourceQuantity? Tflops { get; set; }

    [JsonPropertyName("compute")]
    [NumberRange(0, 100)]
    [Description("Compute as a percent (0-100) of one GPU; mutually exclusive with tflops and not counted in quotas.")]
    public ResourceQuantity? Compute { get; set; }

    [JsonPropertyName("vram")]
    [Description("VRAM in bytes, e.g. \"16Gi\".")]
    public ResourceQuantity? Vram { get; set; }
}
