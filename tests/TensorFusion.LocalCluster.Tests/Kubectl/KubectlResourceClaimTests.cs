using k8s;
using TensorFusion.LocalCluster.Tests.Api;

namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>kubectl against resource.k8s.io/v1: apply, the claim table (state and devices) and a clear refusal.</summary>
[Trait("Category", "Integration")]
public sealed class KubectlResourceClaimTests
{
    private const string ClaimYaml = """
        apiVersion: resource.k8s.io/v1
        kind: ResourceClaim
        metadata:
          name: worker-0-gpu
        spec:
          devices:
            requests:
            - name: gpu
              exactly:
                deviceClassName: gpu.tensor-fusion.ai
        """;

    [Fact]
    public async Task GetResourceClaims_PendingThenAllocated_ShowsStateAndDevices()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var applied = await kubectl.RunAsync("apply -f -", ClaimYaml);
        var pending = await kubectl.RunAsync("get resourceclaims");
        var claim = await cluster.Client.ResourceV1.ReadNamespacedResourceClaimAsync("worker-0-gpu", "default");
        claim.Status = DynamicResourceTests.Allocated("node-1", "gpu-0a1b", "worker-0", "uid-0");
        await cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(claim, "worker-0-gpu", "default");
        var allocated = await kubectl.RunAsync("get resourceclaims");

        Assert.Contains("resourceclaim.resource.k8s.io/worker-0-gpu created", applied.Output, StringComparison.Ordinal);
        Assert.Matches(@"NAME\s+STATE\s+DEVICES\s+AGE", pending.Output);
        Assert.Matches(@"worker-0-gpu\s+pending\s+<none>\s+\S+", pending.Output);
        Assert.Matches(@"worker-0-gpu\s+allocated,reserved\s+node-1/gpu-0a1b\s+\S+", allocated.Output);
    }

    [Fact]
    public async Task ApplyClaim_WithoutDeviceClassName_FailsNamingTheField()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var refused = await kubectl.RunAsync("apply -f -", ClaimYaml.Replace("deviceClassName: gpu.tensor-fusion.ai", "count: 1", StringComparison.Ordinal));
        var listed = await kubectl.RunAsync("get resourceclaims");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.devices.requests[0].exactly.deviceClassName: Required value", refused.Error, StringComparison.Ordinal);
        Assert.Contains("No resources found", listed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResourceSlices_PublishedSlice_ShowsNodeDriverPool()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        const string slice = """
            apiVersion: resource.k8s.io/v1
            kind: ResourceSlice
            metadata:
              name: node-1-gpu.tensor-fusion.ai
            spec:
              driver: gpu.tensor-fusion.ai
              nodeName: node-1
              pool: {name: node-1, generation: 1, resourceSliceCount: 1}
              devices:
              - name: gpu-0a1b
            """;

        var applied = await kubectl.RunAsync("apply -f -", slice);
        var listed = await kubectl.RunAsync("get resourceslices");

        Assert.Equal(0, applied.ExitCode);
        Assert.Matches(@"node-1-gpu\.tensor-fusion\.ai\s+node-1\s+gpu\.tensor-fusion\.ai\s+node-1\s+\S+", listed.Output);
    }
}
