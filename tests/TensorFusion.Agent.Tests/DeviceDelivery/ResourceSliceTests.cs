using k8s;
using TensorFusion.Agent.DeviceDelivery.Dra;
using TensorFusion.Gpu.Devices;
using TensorFusion.LocalCluster;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The node's ResourceSlice: its shape, and publishing against the embedded API server (which may not serve
/// resource.k8s.io yet: then the publisher counts NotServed and keeps trying).</summary>
public sealed class ResourceSliceTests
{
    private static readonly DeviceInfo[] Gpus =
    [
        new("GPU-bbbb", "H100-80GB", 1, -1, 85899345920, 132, MigCapable: true, MigEnabled: true, DeviceHealth.Healthy, 989),
        new("GPU-aaaa", "H100-80GB", 0, 0, 85899345920, 132, MigCapable: true, MigEnabled: false, DeviceHealth.Healthy, 989),
    ];

    [Fact]
    public void Build_TwoGpus_OneDevicePerGpuWithModelUuidCapacityAndMig()
    {
        var slice = ResourceSliceBuilder.Build("node-a", Gpus, d => d.MaxTflops, poolGeneration: 3);

        Assert.Equal(("resource.k8s.io/v1", "ResourceSlice", "node-a-gpu.tensor-fusion.ai"), (slice.ApiVersion, slice.Kind, slice.Metadata.Name));
        Assert.Equal(("gpu.tensor-fusion.ai", "node-a"), (slice.Spec.Driver, slice.Spec.NodeName));
        Assert.Equal(("node-a", 3L, 1L), (slice.Spec.Pool.Name, slice.Spec.Pool.Generation, slice.Spec.Pool.ResourceSliceCount));
        // Named as the GPU objects are (the UUID lowercased), which is what the operator writes into claim allocations.
        Assert.Equal(["gpu-aaaa", "gpu-bbbb"], slice.Spec.Devices.Select(d => d.Name));
        var first = slice.Spec.Devices[0];
        Assert.Equal("GPU-aaaa", first.Attributes["uuid"].StringValue);
        Assert.Equal("H100-80GB", first.Attributes["model"].StringValue);
        Assert.Equal(0, first.Attributes["index"].IntValue);
        Assert.True(first.Attributes["migCapable"].BoolValue);
        Assert.False(first.Attributes["migEnabled"].BoolValue);
        Assert.Equal(0, first.Attributes["numaNode"].IntValue);
        Assert.False(slice.Spec.Devices[1].Attributes.ContainsKey("numaNode")); // -1 = unknown: left out
        Assert.Equal(85899345920L, first.Capacity["memory"].Value.ToInt64()); // 80 GiB
        Assert.Equal("989", first.Capacity["tflops"].Value.ToString());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task PublishAsync_EmbeddedServer_CreatesOnceOrCountsNotServed()
    {
        await using var server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false, UseHttps = false }, CancellationToken.None);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString(), AccessToken = server.Token });
        var publisher = new ResourceSlicePublisher(client, "node-a");

        var first = await publisher.PublishAsync(Gpus, d => d.MaxTflops, CancellationToken.None);
        var second = await publisher.PublishAsync(Gpus, d => d.MaxTflops, CancellationToken.None);

        if (first == SlicePublishOutcome.NotServed)
        {
            // Without resource.k8s.io the publisher keeps trying, once per heartbeat, and says so each time.
            Assert.Equal(SlicePublishOutcome.NotServed, second);
            Assert.Equal(2, publisher.NotServedCount);
        }
        else
        {
            Assert.Equal((SlicePublishOutcome.Created, SlicePublishOutcome.Unchanged), (first, second));
            var stored = await client.ResourceV1.ReadResourceSliceAsync("node-a-gpu.tensor-fusion.ai");
            Assert.Equal(2, stored.Spec.Devices.Count);
        }
    }
}
