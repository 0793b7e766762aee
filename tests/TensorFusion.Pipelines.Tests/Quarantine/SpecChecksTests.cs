using k8s.Models;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Quarantine;

namespace TensorFusion.Pipelines.Tests.Quarantine;

public sealed class SpecChecksTests
{
    [Theory]
    [InlineData("-5", "spec.resources.requests.tflops: \"-5\" is negative")]
    [InlineData("1e400", "spec.resources.requests.tflops: ")]
    [InlineData("2000000", "spec.resources.requests.tflops: \"2000000\" is larger than any GPU could be")]
    [InlineData("99999999999Ei", "spec.resources.requests.tflops: \"9223372036854775807\" is too large to be an amount")]
    public void Workload_BadTflopsRequest_NamesFieldAndValue(string tflops, string expected)
    {
        var workload = new TensorFusionWorkload
        {
            Spec = new WorkloadProfileSpec { Resources = new GpuResourceRequirements { Requests = new GpuResourceAmount { Tflops = new ResourceQuantity(tflops) } } },
        };

        Assert.StartsWith(expected, SpecChecks.Workload(workload), StringComparison.Ordinal);
    }

    [Fact]
    public void Workload_ValidRequest_IsNull()
    {
        var workload = new TensorFusionWorkload
        {
            Spec = new WorkloadProfileSpec { Resources = new GpuResourceRequirements { Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("989"), Vram = new ResourceQuantity("80Gi") } } },
        };

        Assert.Null(SpecChecks.Workload(workload));
    }

    [Fact]
    public void Workload_NameLongerThanALabelValue_NamesMetadataName()
    {
        // 64 characters: one more than a label value (the workers' tensor-fusion.ai/workload label) may hold.
        var workload = new TensorFusionWorkload { Metadata = new V1ObjectMeta { Name = new string('a', 64) }, Spec = new WorkloadProfileSpec() };

        Assert.StartsWith("metadata.name: \"aaaaaaaaaaaaaaaaaaaa…\" is 64 characters", SpecChecks.Workload(workload), StringComparison.Ordinal);
        Assert.Null(SpecChecks.Workload(new TensorFusionWorkload { Metadata = new V1ObjectMeta { Name = new string('a', 63) }, Spec = new WorkloadProfileSpec() }));
    }

    [Fact]
    public void Quantities_PoolMinResourcesOverflowingDecimal_NamesTheField()
    {
        // 99999999999 × 2^60 ≈ 1.15 × 10^29, above decimal's 7.9 × 10^28.
        var spec = new GpuPoolSpec { CapacityConfig = new CapacityConfig { MinResources = new PoolResourceAmount { Tflops = new ResourceQuantity("99999999999Ei") } } };

        Assert.StartsWith("spec.capacityConfig.minResources.tflops: ", SpecChecks.Quantities(spec), StringComparison.Ordinal);
    }
}
