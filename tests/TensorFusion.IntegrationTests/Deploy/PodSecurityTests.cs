using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Deploy")]
public sealed class PodSecurityTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    /// <summary>
    /// The agent's host paths, each with its mount point and whether it is writable. This is the list in
    /// deploy/base/agent/daemonset.yaml and docs/operations.md; anything else is an undocumented privilege.
    /// </summary>
    private static readonly Dictionary<string, (string MountPath, bool Writable)> DocumentedAgentHostPaths = new()
    {
        ["/dev"] = ("/host/dev", false),
        ["/usr/lib/x86_64-linux-gnu"] = ("/host/driver-libs", false),
        ["/proc"] = ("/host/proc", false),
        ["/var/lib/tensor-fusion/agent"] = ("/var/lib/tensor-fusion/agent", true),
        // Device delivery (DRA kubelet plugin): sockets, transient CDI specs, the limiter library for workers.
        ["/var/lib/kubelet/plugins/gpu.tensor-fusion.ai"] = ("/var/lib/kubelet/plugins/gpu.tensor-fusion.ai", true),
        ["/var/lib/kubelet/plugins_registry"] = ("/var/lib/kubelet/plugins_registry", true),
        ["/var/run/cdi"] = ("/var/run/cdi", true),
        ["/var/lib/tensor-fusion/limiter"] = ("/var/lib/tensor-fusion/limiter", true),
    };

    [Fact]
    public void OperatorPod_EveryOverlay_MeetsPodSecurityRestricted()
    {
        foreach (var rendered in manifests.All)
        {
            var deployment = rendered.Single("Deployment", "tensorfusion-operator");
            var pod = RenderedManifests.PodSpec(deployment);
            Assert.Equal("true", (string?)pod["securityContext"]!["runAsNonRoot"]);
            Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
            AssertNoHostNamespaces(pod);
            Assert.All(pod["volumes"]!.AsArray(), volume =>
                Assert.True(volume!["hostPath"] is null, $"operator volume {volume["name"]} is a hostPath"));

            var container = RenderedManifests.Containers(deployment).Single();
            var security = container["securityContext"]!;
            Assert.Equal("false", (string?)security["allowPrivilegeEscalation"]);
            Assert.Equal("true", (string?)security["readOnlyRootFilesystem"]);
            Assert.Equal("true", (string?)security["runAsNonRoot"]);
            Assert.Equal(["ALL"], RenderedManifests.Strings(security["capabilities"]!["drop"]));
            Assert.Empty(RenderedManifests.Strings(security["capabilities"]!["add"]));
            Assert.True(security["privileged"] is null || (string?)security["privileged"] == "false");
            Assert.True(container["ports"]!.AsArray().All(p => p!["hostPort"] is null), "operator uses a hostPort");
        }
    }

    [Fact]
    public void AgentPod_EveryOverlay_TakesOnlySysAdminAndNoHostNamespaces()
    {
        foreach (var rendered in manifests.All)
        {
            var daemonSet = rendered.Single("DaemonSet", "tensorfusion-agent");
            var pod = RenderedManifests.PodSpec(daemonSet);
            AssertNoHostNamespaces(pod);
            var security = RenderedManifests.Containers(daemonSet).Single()["securityContext"]!;
            Assert.Equal("false", (string?)security["privileged"]);
            Assert.Equal("false", (string?)security["allowPrivilegeEscalation"]);
            Assert.Equal("true", (string?)security["readOnlyRootFilesystem"]);
            Assert.Equal(["ALL"], RenderedManifests.Strings(security["capabilities"]!["drop"]));
            Assert.Equal(["SYS_ADMIN"], RenderedManifests.Strings(security["capabilities"]!["add"]));
            Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]!["type"]);
        }
    }

    [Fact]
    public void AgentPod_EveryOverlay_MountsExactlyTheDocumentedHostPaths()
    {
        foreach (var rendered in manifests.All)
        {
            var daemonSet = rendered.Single("DaemonSet", "tensorfusion-agent");
            var volumes = RenderedManifests.PodSpec(daemonSet)["volumes"]!.AsArray().Select(v => v!.AsObject()).ToList();
            var hostPathVolumes = volumes.Where(v => v["hostPath"] is not null)
                .ToDictionary(v => (string)v["name"]!, v => (string)v["hostPath"]!["path"]!);
            Assert.Equal(DocumentedAgentHostPaths.Keys.Order(StringComparer.Ordinal), hostPathVolumes.Values.Order(StringComparer.Ordinal));

            var mounts = RenderedManifests.Containers(daemonSet).Single()["volumeMounts"]!.AsArray().Select(m => m!.AsObject()).ToList();
            foreach (var (volumeName, hostPath) in hostPathVolumes)
            {
                var mount = mounts.Single(m => (string?)m["name"] == volumeName);
                var (mountPath, writable) = DocumentedAgentHostPaths[hostPath];
                Assert.Equal(mountPath, (string?)mount["mountPath"]);
                Assert.True(writable == ((string?)mount["readOnly"] != "true"),
                    $"host path {hostPath} must be mounted {(writable ? "read-write" : "read-only")}");
            }
        }
    }

    [Fact]
    public void OperationsGuide_ExplainsEveryAgentPrivilege()
    {
        var guide = File.ReadAllText(RepositoryLayout.OperationsGuideFile);
        foreach (var hostPath in DocumentedAgentHostPaths.Keys)
        {
            Assert.Contains($"`{hostPath}`", guide, StringComparison.Ordinal);
        }

        Assert.Contains("`SYS_ADMIN`", guide, StringComparison.Ordinal);
        Assert.Contains("`runAsUser: 0`", guide, StringComparison.Ordinal);
        Assert.Contains("NVIDIA_MIG_CONFIG_DEVICES", guide, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespace_EnforcesPrivilegedButWarnsAgainstRestricted()
    {
        var labels = manifests.Base.Single("Namespace", "tensor-fusion-system")["metadata"]!["labels"]!;
        Assert.Equal("privileged", (string?)labels["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("restricted", (string?)labels["pod-security.kubernetes.io/warn"]);
    }

    private static void AssertNoHostNamespaces(JsonObject pod)
    {
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            Assert.True(pod[field] is null || (string?)pod[field] == "false", $"pod sets {field}");
        }
    }
}
