using k8s;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Semantics;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Delete_WithFinalizer_SetsDeletionTimestampUntilFinalizerRemoved()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("f", finalizers: ["example.com/hold"]), "default");

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("f", "default");
        var held = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("f", "default");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "f", "default");

        Assert.NotNull(held.Metadata.DeletionTimestamp);
        Assert.Null(cluster.Server.Store.Get("configmaps", "default", "f"));
    }

    [Fact]
    public async Task Delete_StaleUidPrecondition_AnswersConflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("p"), "default");

        var (status, body) = await cluster.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/configmaps/p",
            """{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"not-the-uid"}}""");

        Assert.Equal(409, status);
        Assert.Contains("Precondition failed: UID in precondition: not-the-uid", body!["message"]!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(cluster.Server.Store.Get("configmaps", "default", "p"));
    }

    [Fact]
    public async Task OwnerDeleted_Background_DependentsAreCollected()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("owner"), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("child", owner: owner), "default");

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");
        await cluster.WaitForDeletionAsync("configmaps", "default", "child");

        Assert.Null(cluster.Server.Store.Get("configmaps", "default", "child"));
    }

    [Fact]
    public async Task OwnerDeleted_Foreground_OwnerStaysUntilDependentsAreGone()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("owner"), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("child", owner: owner, finalizers: ["example.com/slow"]), "default");

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        var deleting = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("owner", "default");
        await cluster.WaitForAsync("configmaps", item => item.Name == "child" && item.Value["metadata"]?["deletionTimestamp"] is not null);
        var ownerWhileChildLives = cluster.Server.Store.Get("configmaps", "default", "owner");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "child", "default");
        await cluster.WaitForDeletionAsync("configmaps", "default", "owner");

        Assert.Contains("foregroundDeletion", deleting.Metadata.Finalizers);
        Assert.NotNull(ownerWhileChildLives);
        Assert.Null(cluster.Server.Store.Get("configmaps", "default", "owner"));
    }

    [Fact]
    public async Task OwnerDeleted_Orphan_DependentLosesOwnerReference()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("owner"), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("child", owner: owner), "default");

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");
        await cluster.WaitForDeletionAsync("configmaps", "default", "owner");

        var child = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("child", "default");
        Assert.Null(child.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task NamespaceDeleted_CascadesToContentsThenDisappears()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team");
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "team");

        var terminating = await cluster.Client.CoreV1.DeleteNamespaceAsync("team");
        await cluster.WaitForDeletionAsync("namespaces", string.Empty, "team");

        Assert.Empty(cluster.Server.Store.List("configmaps", "team", null).Items);
        Assert.Empty(cluster.Server.Store.List("secrets", "team", null).Items);
        Assert.NotNull(terminating);
    }

    [Fact]
    public async Task Create_InTerminatingNamespace_IsForbidden()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "closing" } });
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("held", finalizers: ["example.com/hold"]), "closing");
        await cluster.Client.CoreV1.DeleteNamespaceAsync("closing");

        var (status, body) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/closing/configmaps", """{"metadata":{"name":"late"}}""");

        Assert.Equal(403, status);
        Assert.Contains("being terminated", body!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteCollection_LabelSelector_DeletesOnlyMatches()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("keep"), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("drop", labels: new() { ["tier"] = "gpu" }), "default");

        await cluster.Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "tier=gpu");

        var names = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(item => item.Metadata.Name);
        Assert.Equal(["keep"], names);
    }

    [Fact]
    public async Task Update_NoChange_KeepsResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("same"), "default");

        var updated = await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", "default");

        Assert.Equal(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Binding_UnboundPod_SetsNodeName()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "x" }] },
        }, "default");

        await cluster.Client.CoreV1.CreateNamespacedPodBindingAsync(
            new V1Binding { Metadata = new V1ObjectMeta { Name = "p" }, Target = new V1ObjectReference { Kind = "Node", Name = "n1" } }, "p", "default");
        var (secondStatus, _) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/pods/p/binding", """{"target":{"name":"n2"}}""");

        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Equal(409, secondStatus);
    }

    [Fact]
    public async Task Binding_WithAnnotations_MergedOntoThePodInTheSameWrite()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", Annotations = new Dictionary<string, string> { ["kept"] = "yes", ["replaced"] = "old" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "x" }] },
        }, "default");

        await cluster.Client.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = "p", Annotations = new Dictionary<string, string> { ["replaced"] = "new", ["tensor-fusion.ai/gpu-ids"] = "gpu-0" } },
            Target = new V1ObjectReference { Kind = "Node", Name = "n1" },
        }, "p", "default");

        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Equal(new Dictionary<string, string> { ["kept"] = "yes", ["replaced"] = "new", ["tensor-fusion.ai/gpu-ids"] = "gpu-0" }, pod.Metadata.Annotations);
        // One write: the resourceVersion moved by exactly one revision.
        Assert.Equal(long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) + 1,
            long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static V1ConfigMap Map(string name, V1ConfigMap? owner = null, List<string>? finalizers = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Finalizers = finalizers,
            Labels = labels,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid }],
        },
    };
}
