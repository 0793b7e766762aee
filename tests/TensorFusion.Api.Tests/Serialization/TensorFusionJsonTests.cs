using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Tests.Serialization;

public sealed class TensorFusionJsonTests
{
    [Fact]
    public void Serialize_Workload_UsesUpstreamFieldNamesAndWireEnums()
    {
        var workload = new TensorFusionWorkload
        {
            Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "ns" },
            Spec = new WorkloadProfileSpec
            {
                IsLocalGpu = true,
                Qos = QosLevel.Critical,
                Isolation = IsolationMode.Partitioned,
                Resources = new GpuResourceRequirements { Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("1.5"), Vram = new ResourceQuantity("16Gi") } },
            },
        };

        var json = JsonNode.Parse(TensorFusionJson.Serialize(workload))!;

        Assert.Equal("tensor-fusion.ai/v1", (string?)json["apiVersion"]);
        Assert.Equal("TensorFusionWorkload", (string?)json["kind"]);
        Assert.True((bool?)json["spec"]!["isLocalGPU"]);
        Assert.Equal("critical", (string?)json["spec"]!["qos"]);
        Assert.Equal("partitioned", (string?)json["spec"]!["isolation"]);
        // 1.5 TFLOPs is written in canonical quantity form, as the Kubernetes client writes it: 1.5 = 1500m.
        Assert.Equal("1500m", (string?)json["spec"]!["resources"]!["requests"]!["tflops"]);
        Assert.Equal("16Gi", (string?)json["spec"]!["resources"]!["requests"]!["vram"]);
        Assert.Null(json["status"]);
        Assert.False(json["spec"]!.AsObject().ContainsKey("gpuCount"));
    }

    [Fact]
    public void Deserialize_UnknownEnumValue_NamesTheSupportedValues()
    {
        var exception = Assert.Throws<FieldValueException>(() =>
            TensorFusionJson.Deserialize<TensorFusionWorkload>("""{"spec":{"qos":"ultra"}}"""));

        Assert.Equal("$.spec.qos", exception.Path);
        Assert.Equal("unsupported value \"ultra\"; supported: low, medium, high, critical", exception.Message);
    }
}
