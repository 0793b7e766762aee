using k8s.Models;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Claims;
using TensorFusion.Pipelines.Tests.Allocation;

namespace TensorFusion.Pipelines.Tests.Claims;

public sealed class WorkerClaimsTests
{
    [Fact]
    public void Attach_Twice_OneClaimEntryAndOneContainerClaim()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "w-0", NamespaceProperty = "team-a" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker" }] },
        };

        WorkerClaims.Attach(pod);
        WorkerClaims.Attach(pod);

        var entry = Assert.Single(pod.Spec.ResourceClaims);
        Assert.Equal(("gpu", "w-0-gpu"), (entry.Name, entry.ResourceClaimName));
        Assert.Equal("gpu", Assert.Single(pod.Spec.Containers[0].Resources.Claims).Name);
        Assert.Equal("w-0-gpu", WorkerClaims.ReferencedClaim(pod));
    }

    [Fact]
    public void ReferencedClaim_PodWithoutOrWithForeignClaim_Null()
    {
        var plain = new V1Pod { Metadata = new V1ObjectMeta { Name = "w-0" }, Spec = new V1PodSpec() };
        var foreign = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "w-0" },
            Spec = new V1PodSpec { ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimName = "someone-elses" }] },
        };

        Assert.Null(WorkerClaims.ReferencedClaim(plain));
        Assert.Null(WorkerClaims.ReferencedClaim(foreign));
    }

    [Fact]
    public void AllocatedStatus_TwoMigShares_OneResultPerShareOnTheNodeAndThePodReserved()
    {
        var pod = WorkerPods.Pending("mig-0", 0.5, "10Gi");
        pod.Metadata.Uid = "uid-1";
        var share = new GpuResources(500, ByteSize.FromGibibytes(10));
        var allocation = new WorkerAllocation(WorkerRequestMapper.Map(pod).Request!, "n0",
            [new GpuShare("gpu-aa", share, share, new MigPlacement("1g.10gb+me", 3)), new GpuShare("gpu-bb", share, share, null)], DateTimeOffset.UnixEpoch);

        var status = WorkerClaims.AllocatedStatus(pod, allocation);

        var results = status["allocation"]!["devices"]!["results"]!.AsArray();
        Assert.Equal(["gpu-aa-mig-1g-10gb-me-3", "gpu-bb"], results.Select(result => result!["device"]!.GetValue<string>()));
        Assert.All(results, result => Assert.Equal(("gpu", "gpu.tensor-fusion.ai", "n0"),
            (result!["request"]!.GetValue<string>(), result["driver"]!.GetValue<string>(), result["pool"]!.GetValue<string>())));
        var reserved = Assert.Single(status["reservedFor"]!.AsArray())!;
        Assert.Equal(("pods", "mig-0", "uid-1"), (reserved["resource"]!.GetValue<string>(), reserved["name"]!.GetValue<string>(), reserved["uid"]!.GetValue<string>()));
    }

    [Fact]
    public void NewClaim_ForPod_OwnedByThePodAndAnnotatedWithTheWorker()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "w-0", NamespaceProperty = "team-a", Uid = "uid-0" } };

        var claim = WorkerClaims.NewClaim(pod, gpus: 2);

        Assert.Equal("w-0-gpu", claim["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("team-a/w-0", claim["metadata"]!["annotations"]!["tensor-fusion.ai/worker"]!.GetValue<string>());
        Assert.Equal("uid-0", claim["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
        var exactly = claim["spec"]!["devices"]!["requests"]![0]!["exactly"]!;
        Assert.Equal(("gpu.tensor-fusion.ai", 2), (exactly["deviceClassName"]!.GetValue<string>(), exactly["count"]!.GetValue<int>()));
    }
}
