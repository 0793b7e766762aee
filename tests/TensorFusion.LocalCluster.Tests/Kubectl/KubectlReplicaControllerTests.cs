using TensorFusion.LocalCluster.Controllers;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>Deployments, ReplicaSets and Jobs driven by kubectl against the embedded server's simple controllers.</summary>
[Trait("Category", "Integration")]
public sealed class KubectlReplicaControllerTests
{
    [Fact]
    public async Task CreateScaleDelete_Deployment_ReplicaSetKeepsPodCountAndGarbageCollectionCleansUp()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.FromMilliseconds(50) });
        var kubectl = new Kubectl(cluster);

        var created = await kubectl.RunAsync("create deployment web --image=nginx");
        await cluster.WaitForAsync("deployments.apps", d => d.Name == "web" && Number(d, "replicas") == 1);
        var scaled = await kubectl.RunAsync("scale deployment web --replicas=3");
        await cluster.WaitForAsync("deployments.apps", d => d.Name == "web" && Number(d, "replicas") == 3);
        var pods = await kubectl.RunAsync("get pods -l app=web -o name");
        var replicaSets = await kubectl.RunAsync("get rs -o name");
        var scaledDown = await kubectl.RunAsync("scale deployment web --replicas=0");
        await cluster.WaitForAsync("deployments.apps", d => d.Name == "web" && Number(d, "replicas") == 0);
        var deleted = await kubectl.RunAsync("delete deployment web");
        await cluster.WaitForDeletionAsync(ReplicaSetController.StorageId, "default", replicaSets.Output.Trim().Split('/')[^1]);

        Assert.Contains("deployment.apps/web created", created.Output, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web scaled", scaled.Output + scaled.Error, StringComparison.Ordinal);
        Assert.Equal(3, pods.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Matches(@"^replicaset\.apps/web-[0-9a-f]{10}\s*$", replicaSets.Output);
        Assert.Contains("scaled", scaledDown.Output, StringComparison.Ordinal);
        Assert.Contains("deleted", deleted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetImage_RunningDeployment_NewReplicaSetRolledOutAndTheOldScaledToZero()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.FromMilliseconds(50), RunDefaultScheduler = true });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        var kubectl = new Kubectl(cluster);

        await kubectl.RunAsync("create deployment api --image=nginx:1 --replicas=2");
        var first = await kubectl.RunAsync("rollout status deployment/api --timeout=30s");
        var changed = await kubectl.RunAsync("set image deployment/api nginx=nginx:2");
        var second = await kubectl.RunAsync("rollout status deployment/api --timeout=30s");
        var replicaSets = await kubectl.RunAsync("get rs -o jsonpath={range.items[*]}{.spec.template.spec.containers[0].image}={.spec.replicas}{\"\\n\"}{end}");

        Assert.Contains("successfully rolled out", first.Output, StringComparison.Ordinal);
        Assert.Contains("image updated", changed.Output, StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", second.Output, StringComparison.Ordinal);
        Assert.Equal(["nginx:1=0", "nginx:2=2"], replicaSets.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_JobWithParallelismTwoOfThreeCompletions_CompletesAfterThreeSucceededPods()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.FromMilliseconds(50), RunDefaultScheduler = true });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        var kubectl = new Kubectl(cluster);

        var created = await kubectl.RunAsync("apply -f -", """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: train}
            spec:
              completions: 3
              parallelism: 2
              template:
                metadata:
                  annotations: {tensor-fusion.ai/simulate: succeed}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: python:3.12-slim}]
            """);
        var waited = await kubectl.RunAsync("wait --for=condition=complete job/train --timeout=30s");
        var job = cluster.Server.Store.Get(JobController.StorageId, "default", "train")!;

        Assert.Contains("job.batch/train created", created.Output, StringComparison.Ordinal);
        Assert.Contains("job.batch/train condition met", waited.Output, StringComparison.Ordinal);
        Assert.Equal(3, JsonText.WholeNumber(job.Value["status"]!["succeeded"])); // never more than completions
        Assert.Equal(0, JsonText.WholeNumber(job.Value["status"]!["active"]));
    }

    [Fact]
    public async Task Create_JobWithoutRestartPolicy_RefusedNamingTheField()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var refused = await kubectl.RunAsync("apply -f -", """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: bad}
            spec:
              template:
                spec:
                  containers: [{name: c, image: busybox}]
            """);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.template.spec.restartPolicy", refused.Error, StringComparison.Ordinal);
        Assert.Null(cluster.Server.Store.Get(JobController.StorageId, "default", "bad"));
    }

    private static long? Number(TensorFusion.LocalCluster.Storage.StoredObject deployment, string field) => JsonText.WholeNumber(deployment.Value["status"]?[field]);
}
