using TensorFusion.Agent.Attribution;

namespace TensorFusion.Agent.Tests.Attribution;

public sealed class PodCgroupTests
{
    [Theory]
    // cgroup v2 with the systemd driver: dashes of the UID are underscores in the slice name.
    [InlineData("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_0000_4e5f_8a9b_0123456789ab.slice/cri-containerd-77aa.scope\n")]
    // cgroup v1 with cgroupfs: plain UID segment, several controllers.
    [InlineData("12:memory:/kubepods/besteffort/pod1a2b3c4d-0000-4e5f-8a9b-0123456789ab/9f8e7d\n11:cpu,cpuacct:/kubepods/besteffort/pod1a2b3c4d-0000-4e5f-8a9b-0123456789ab/9f8e7d\n")]
    // Guaranteed QoS pods sit directly under kubepods.
    [InlineData("0::/kubepods/pod1A2B3C4D-0000-4E5F-8A9B-0123456789AB/abc\n")]
    public void PodUid_KubeletCgroupLayouts_ReturnsTheUidWithDashes(string cgroup)
    {
        Assert.Equal("1a2b3c4d-0000-4e5f-8a9b-0123456789ab", PodCgroup.PodUid(cgroup));
    }

    [Theory]
    [InlineData("0::/user.slice/user-1000.slice/session-3.scope\n")]
    [InlineData("0::/system.slice/containerd.service\n")]
    [InlineData("0::/kubepods/podnot-a-uid/abc\n")]
    [InlineData("")]
    public void PodUid_ProcessOutsideAPod_ReturnsNull(string cgroup)
    {
        Assert.Null(PodCgroup.PodUid(cgroup));
    }
}
