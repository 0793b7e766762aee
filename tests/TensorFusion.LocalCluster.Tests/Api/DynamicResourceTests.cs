using k8s;
using k8s.Autorest;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Api;

/// <summary>resource.k8s.io/v1 through the typed client: the kinds a DRA driver, an allocation controller and a kubelet use.</summary>
[Trait("Category", "Integration")]
public sealed class DynamicResourceTests
{
    [Fact]
    public async Task Version_AdvertisesKubernetesWithDynamicResourceAllocationGa()
    {
        await using var cluster = await TestCluster.StartAsync();

        var version = await cluster.Client.Version.GetCodeAsync();
        var groups = await cluster.Client.Apis.GetAPIVersionsAsync();

        // resource.k8s.io/v1 is GA from 1.34.
        Assert.True(int.Parse(version.Minor, System.Globalization.CultureInfo.InvariantCulture) >= 34, version.GitVersion);
        Assert.Contains(groups.Groups, group => group.Name == "resource.k8s.io" && group.PreferredVersion.Version == "v1");
    }

    [Fact]
    public async Task CreateClaim_WithStatus_StoresItUnallocatedAndListsIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        var claim = Claim("worker-0-gpu");
        claim.Status = new V1ResourceClaimStatus { ReservedFor = [new V1ResourceClaimConsumerReference { Resource = "pods", Name = "x", Uid = "u" }] };

        var created = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(claim, "default");
        var listed = await cluster.Client.ResourceV1.ListNamespacedResourceClaimAsync("default");

        Assert.Null(created.Status);
        Assert.Equal("gpu.tensor-fusion.ai", Assert.Single(listed.Items).Spec.Devices.Requests[0].Exactly.DeviceClassName);
    }

    [Fact]
    public async Task CreateClaim_WithoutDeviceClassName_IsInvalidNamingTheField()
    {
        await using var cluster = await TestCluster.StartAsync();
        var claim = Claim("no-class");
        claim.Spec.Devices.Requests[0].Exactly.DeviceClassName = null;

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(claim, "default"));

        Assert.Equal(422, (int)failure.Response.StatusCode);
        Assert.Contains("spec.devices.requests[0].exactly.deviceClassName: Required value", failure.Response.Content, StringComparison.Ordinal);
        Assert.Empty((await cluster.Client.ResourceV1.ListNamespacedResourceClaimAsync("default")).Items);
    }

    [Fact]
    public async Task CreateClaim_RequestWithNeitherExactlyNorFirstAvailable_IsInvalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var claim = Claim("shapeless");
        claim.Spec.Devices.Requests[0].Exactly = null;

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(claim, "default"));

        Assert.Contains("exactly one of `exactly` or `firstAvailable` is required", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateClaimSpec_AfterCreate_IsRefusedAsImmutable()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(Claim("fixed"), "default");
        created.Spec.Devices.Requests[0].Exactly.DeviceClassName = "other.example.com";

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimAsync(created, "fixed", "default"));

        Assert.Contains("field is immutable", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceClaimStatus_AllocationAndReservation_IsStoredAndWatched()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(Claim("worker-1-gpu"), "default");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var modified = FirstModifiedAsync(cluster.Client.ResourceV1.WatchListNamespacedResourceClaimAsync(
            "default", resourceVersion: created.Metadata.ResourceVersion, cancellationToken: stop.Token));
        created.Status = Allocated("node-1", "gpu-0a1b", "worker-1", "pod-uid-1");

        var written = await cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(created, "worker-1-gpu", "default");
        var seen = await modified;

        var result = Assert.Single(written.Status.Allocation.Devices.Results);
        Assert.Equal(("gpu.tensor-fusion.ai", "node-1", "gpu-0a1b"), (result.Driver, result.Pool, result.Device));
        Assert.Equal("pod-uid-1", Assert.Single(seen.Status.ReservedFor).Uid);
    }

    [Fact]
    public async Task ReplaceClaimStatus_ResultWithoutDevice_IsInvalidAndKeepsTheOldStatus()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(Claim("broken"), "default");
        created.Status = Allocated("node-1", "gpu-0a1b", "broken", "uid");
        created.Status.Allocation.Devices.Results[0].Device = null;

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(created, "broken", "default"));

        Assert.Contains("status.allocation.devices.results[0].device: Required value", failure.Response.Content, StringComparison.Ordinal);
        Assert.Null((await cluster.Client.ResourceV1.ReadNamespacedResourceClaimAsync("broken", "default")).Status);
    }

    [Fact]
    public async Task ReplaceClaimStatus_ReservedWithoutAllocation_IsInvalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(Claim("early"), "default");
        created.Status = new V1ResourceClaimStatus { ReservedFor = [new V1ResourceClaimConsumerReference { Resource = "pods", Name = "early", Uid = "u" }] };

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(created, "early", "default"));

        Assert.Contains("reservedFor may be set only on an allocated claim", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSliceAndClass_ClusterScoped_ListByNodeFieldSelector()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.ResourceV1.CreateDeviceClassAsync(new V1DeviceClass
        {
            Metadata = new V1ObjectMeta { Name = "gpu.tensor-fusion.ai" },
            Spec = new V1DeviceClassSpec { Selectors = [new V1DeviceSelector { Cel = new V1CELDeviceSelector { Expression = "device.driver == \"gpu.tensor-fusion.ai\"" } }] },
        });
        foreach (var node in new[] { "node-1", "node-2" })
        {
            await cluster.Client.ResourceV1.CreateResourceSliceAsync(Slice(node));
        }

        var onNode2 = await cluster.Client.ResourceV1.ListResourceSliceAsync(fieldSelector: "spec.nodeName=node-2");
        var classes = await cluster.Client.ResourceV1.ListDeviceClassAsync();

        Assert.Equal("node-2-gpu.tensor-fusion.ai", Assert.Single(onNode2.Items).Metadata.Name);
        Assert.Equal("gpu-aa", onNode2.Items[0].Spec.Devices[0].Name);
        Assert.Single(classes.Items);
    }

    [Fact]
    public async Task CreateSlice_WithoutNodeSelection_IsInvalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var slice = Slice("node-1");
        slice.Spec.NodeName = null;

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.CreateResourceSliceAsync(slice));

        Assert.Contains("exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateClaimTemplate_WithoutInnerSpec_IsInvalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var template = new V1ResourceClaimTemplate { Metadata = new V1ObjectMeta { Name = "gpu" }, Spec = new V1ResourceClaimTemplateSpec() };

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.ResourceV1.CreateNamespacedResourceClaimTemplateAsync(template, "default"));
        template.Spec.Spec = Claim("ignored").Spec;
        var created = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimTemplateAsync(template, "default");

        Assert.Contains("spec.spec: Required value", failure.Response.Content, StringComparison.Ordinal);
        Assert.Equal("gpu", created.Metadata.Name);
    }

    private static async Task<Resourcev1ResourceClaim> FirstModifiedAsync(IAsyncEnumerable<(WatchEventType, Resourcev1ResourceClaim)> events)
    {
        await foreach (var (type, item) in events)
        {
            if (type == WatchEventType.Modified)
            {
                return item;
            }
        }

        throw new TimeoutException("the claim watch ended before a MODIFIED event");
    }

    internal static Resourcev1ResourceClaim Claim(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ResourceClaimSpec
        {
            Devices = new V1DeviceClaim
            {
                Requests = [new V1DeviceRequest { Name = "gpu", Exactly = new V1ExactDeviceRequest { DeviceClassName = "gpu.tensor-fusion.ai" } }],
            },
        },
    };

    internal static V1ResourceClaimStatus Allocated(string node, string device, string pod, string podUid) => new()
    {
        Allocation = new V1AllocationResult
        {
            Devices = new V1DeviceAllocationResult
            {
                Results = [new V1DeviceRequestAllocationResult { Request = "gpu", Driver = "gpu.tensor-fusion.ai", Pool = node, Device = device }],
            },
        },
        ReservedFor = [new V1ResourceClaimConsumerReference { Resource = "pods", Name = pod, Uid = podUid }],
    };

    private static V1ResourceSlice Slice(string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{node}-gpu.tensor-fusion.ai" },
        Spec = new V1ResourceSliceSpec
        {
            Driver = "gpu.tensor-fusion.ai",
            NodeName = node,
            Pool = new V1ResourcePool { Name = node, Generation = 1, ResourceSliceCount = 1 },
            Devices = [new V1Device { Name = "gpu-aa" }],
        },
    };
}
