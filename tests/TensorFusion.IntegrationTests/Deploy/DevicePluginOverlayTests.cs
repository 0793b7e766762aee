namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>overlays/device-plugin: the agent serves the index device plugins instead of DRA, mounts the kubelet's
/// device-plugins directory instead of its two plugin directories, and the DeviceClass is left out.</summary>
[Trait("Category", "Deploy")]
public sealed class DevicePluginOverlayTests
{
    [Fact]
    public async Task Render_DevicePluginOverlay_SwapsDraForDevicePlugins()
    {
        var rendered = await RenderedManifests.RenderAsync(RepositoryLayout.Deploy("overlays", "device-plugin"));

        var daemonSet = rendered.Single("DaemonSet", "tensorfusion-agent");
        var args = RenderedManifests.Strings(RenderedManifests.Containers(daemonSet).Single()["args"]);
        Assert.Contains("--dra=false", args);
        Assert.Contains("--device-plugin", args);
        Assert.Contains("--device-plugin-dir=/var/lib/kubelet/device-plugins", args);
        var hostPaths = RenderedManifests.PodSpec(daemonSet)["volumes"]!.AsArray()
            .Select(v => (string?)v!["hostPath"]?["path"]).OfType<string>().ToList();
        Assert.Contains("/var/lib/kubelet/device-plugins", hostPaths);
        Assert.DoesNotContain("/var/lib/kubelet/plugins_registry", hostPaths);
        Assert.DoesNotContain("/var/lib/kubelet/plugins/gpu.tensor-fusion.ai", hostPaths);
        Assert.Empty(rendered.OfKind("DeviceClass"));
    }
}
