using k8s;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Storage;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Restart_WithStateDirectory_KeepsObjectsCrdsAndResourceVersionSequence()
    {
        var state = Path.Combine(Path.GetTempPath(), "tf-localcluster-state-" + Guid.NewGuid().ToString("N"));
        try
        {
            long lastVersion;
            await using (var first = await TestCluster.StartAsync(new LocalApiServerOptions { StateDirectory = state }))
            {
                await first.ApplyWidgetsCrdAsync();
                await first.SendAsync(HttpMethod.Post, "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets", Api.CustomResourceTests.Widget("kept", "large").ToJsonString());
                await first.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "kept" } }, "default");
                var deleted = await first.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "gone" } }, "default");
                await first.Client.CoreV1.DeleteNamespacedConfigMapAsync("gone", "default");
                lastVersion = first.Server.Store.Revision;
                Assert.True(lastVersion > long.Parse(deleted.Metadata.ResourceVersion));
            }

            await using var second = await TestCluster.StartAsync(new LocalApiServerOptions { StateDirectory = state });
            var maps = await second.Client.CoreV1.ListNamespacedConfigMapAsync("default");
            var widget = await second.Client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.Nodes.JsonObject>(
                "example.tensor-fusion.ai", "v1", "default", "widgets", "kept");
            var next = await second.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after" } }, "default");

            Assert.Equal(["kept"], maps.Items.Select(item => item.Metadata.Name));
            Assert.Equal("large", widget["spec"]!["size"]!.ToString());
            Assert.True(long.Parse(next.Metadata.ResourceVersion) > lastVersion);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Restart_WatchFromOldVersion_AnswersExpired()
    {
        var state = Path.Combine(Path.GetTempPath(), "tf-localcluster-state-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await TestCluster.StartAsync(new LocalApiServerOptions { StateDirectory = state }))
            {
                await first.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" } }, "default");
            }

            await using var second = await TestCluster.StartAsync(new LocalApiServerOptions { StateDirectory = state });
            var lines = await Api.WatchTests.ReadLinesAsync(second, "api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1", 1);

            Assert.Equal("ERROR", lines[0]["type"]!.ToString());
            Assert.Equal(410, lines[0]["object"]!["code"]!.GetValue<int>());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
