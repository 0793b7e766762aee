using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Admission;

/// <summary>The <c>dedicated-gpu</c> annotation (one step of <see cref="PodAnnotationParser"/>).</summary>
internal static class DedicatedGpu
{
    /// <summary><c>dedicated-gpu: "true"</c> with a catalogued model: request = limit = the whole GPU's capacity.</summary>
    public static bool Apply(PodAnnotationReader reader, AdmissionLookups lookups, WorkloadProfileSpec spec)
    {
        if (reader.Boolean(Annotations.DedicatedGpu) != true)
        {
            return false;
        }

        if (string.IsNullOrEmpty(spec.GpuModel))
        {
            reader.Problems.Add(new AdmissionProblem(Annotations.DedicatedGpu, $"a dedicated GPU needs {Annotations.GpuModel} to know the GPU's capacity"));
            return false;
        }

        var model = lookups.Catalog.TryFind(spec.GpuModel);
        if (model is null)
        {
            reader.Problems.Add(new AdmissionProblem(Annotations.GpuModel, $"GPU model \"{spec.GpuModel}\" is not in the catalogue, so a dedicated GPU's capacity is unknown"));
            return false;
        }

        var whole = new GpuResourceAmount
        {
            Tflops = new ResourceQuantity(model.Fp16Tflops.ToString("0.###", CultureInfo.InvariantCulture)),
            Vram = new ResourceQuantity(model.VramBytes.ToString(CultureInfo.InvariantCulture)),
        };
        spec.Resources = new GpuResourceRequirements
        {
            Requests = whole,
            Limits = new GpuResourceAmount { Tflops = whole.Tflops, Vram = whole.Vram },
        };
        return true;
    }
}
