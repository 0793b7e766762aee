using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Requests;
using TensorFusion.Pipelines.Simulation;
using GpuQos = TensorFusion.Gpu.Requests.QosLevel;

namespace TensorFusion.Pipelines.Tests.Simulation;

public sealed class SimulatedWorkersTests
{
    /// <summary>One TensorFusionWorkload document in namespace team; <paramref name="spec"/> is indented under spec.</summary>
    private static string Workload(string name, string spec, string annotations = "") => $"""
        apiVersion: tensor-fusion.ai/v1
        kind: TensorFusionWorkload
        metadata:
          name: {name}
          namespace: team
        {annotations}
        spec:
        {spec}
        """;

    private static (IReadOnlyList<AllocationRequest> Requests, List<string> Errors) Map(string yaml)
    {
        var workload = ManifestReader.ReadSingle<TensorFusionWorkload>(yaml);
        var errors = new List<string>();
        return (SimulatedWorkers.ToRequests(workload, "default", null, errors), errors);
    }

    [Fact]
    public void ToRequests_RequestsEqualLimitsWithoutQos_DefaultsToHighLikeUpstream()
    {
        var (requests, _) = Map(Workload("w", """
              replicas: 2
              resources:
                requests: {tflops: "500m", vram: 1Gi}
                limits: {tflops: "500m", vram: 1Gi}
            """));

        Assert.Equal(["w-0", "w-1"], requests.Select(request => request.Worker));
        Assert.All(requests, request => Assert.Equal(GpuQos.High, request.Qos));
        // "500m" TFLOPs = 0.5 TFLOPs = 500 milli-TFLOPs.
        Assert.Equal(500, requests[0].Request.MilliTflops);
    }

    [Fact]
    public void ToRequests_NodeAffinityAndProtection_AreCarriedOver()
    {
        var (requests, errors) = Map(Workload("w", """
              gpuIndices: [0, 1]
              resources:
                requests: {compute: "50", vram: 1Gi}
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions:
                        - {key: zone, operator: NotIn, values: [b]}
            """, annotations: "  annotations: {tensor-fusion.ai/eviction-protection: 1h30m}"));

        Assert.Empty(errors);
        var request = Assert.Single(requests);
        Assert.Equal(2, request.GpuCount);
        Assert.Equal(50, request.ComputePercentRequest);
        Assert.Equal(TimeSpan.FromMinutes(90), request.EvictionProtection);
        var requirement = Assert.Single(Assert.Single(request.NodeAffinity!).Requirements);
        Assert.Equal("zone", requirement.Key);
        Assert.Equal(NodeSelectorOperator.NotIn, requirement.Operator);
        Assert.Equal(["b"], requirement.Values);
    }

    [Fact]
    public void ToRequests_UnknownOperator_ErrorNamesTheExpression()
    {
        var (requests, errors) = Map(Workload("w", """
              resources:
                requests: {tflops: "1", vram: 1Gi}
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions:
                        - {key: zone, operator: Near, values: [b]}
            """));

        Assert.Empty(requests);
        Assert.Contains("matchExpressions[0].operator 'Near' must be In, NotIn, Exists, DoesNotExist, Gt or Lt", Assert.Single(errors), StringComparison.Ordinal);
    }
}
