using k8s.Models;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

public sealed class PodCacheTrimTests
{
    [Fact]
    public void Apply_FullPod_KeepsWhatTheOperatorReadsDropsTheRest()
    {
        var created = new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);
        var ready = new V1PodCondition { Type = "Ready", Status = "True" };
        var required = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [] } };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "w-0",
                NamespaceProperty = "team-a",
                Uid = "u-1",
                ResourceVersion = "42",
                CreationTimestamp = created,
                Labels = new Dictionary<string, string> { ["tensor-fusion.ai/workload"] = "w" },
                Annotations = new Dictionary<string, string> { ["tensor-fusion.ai/gpu-ids"] = "gpu-0" },
            },
            Spec = new V1PodSpec
            {
                SchedulerName = "tensor-fusion-scheduler",
                NodeName = "node-1",
                Containers = [new V1Container { Name = "worker", Image = "tensorfusion/worker", Env = [new V1EnvVar { Name = "A", Value = "1" }] }],
                Volumes = [new V1Volume { Name = "shm" }],
                Affinity = new V1Affinity { NodeAffinity = required, PodAntiAffinity = new V1PodAntiAffinity() },
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions = [ready],
                Reason = "Started",
                Message = "ok",
                ContainerStatuses = [new V1ContainerStatus { Name = "worker", Image = "tensorfusion/worker", ImageID = "sha", Ready = true, RestartCount = 0 }],
            },
        };

        PodCacheTrim.Apply(pod);

        Assert.Equal(("w-0", "team-a", "u-1", "42", created), (pod.Metadata.Name, pod.Metadata.NamespaceProperty, pod.Metadata.Uid, pod.Metadata.ResourceVersion, pod.Metadata.CreationTimestamp));
        Assert.Equal("w", pod.Metadata.Labels["tensor-fusion.ai/workload"]);
        Assert.Equal("gpu-0", pod.Metadata.Annotations["tensor-fusion.ai/gpu-ids"]);
        Assert.Equal(("tensor-fusion-scheduler", "node-1"), (pod.Spec.SchedulerName, pod.Spec.NodeName));
        Assert.Empty(pod.Spec.Containers);
        Assert.Null(pod.Spec.Volumes);
        Assert.Same(required, pod.Spec.Affinity.NodeAffinity);
        Assert.Null(pod.Spec.Affinity.PodAntiAffinity);
        Assert.Equal(("Running", "Started", "ok"), (pod.Status.Phase, pod.Status.Reason, pod.Status.Message));
        Assert.Same(ready, Assert.Single(pod.Status.Conditions));
        Assert.Null(pod.Status.ContainerStatuses);
        Assert.True(WorkerPods.IsReady(pod));
    }

    [Fact]
    public void Apply_PodWithoutSpecOrStatus_LeftAsItIs()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "bare" } };

        PodCacheTrim.Apply(pod);

        Assert.Null(pod.Spec);
        Assert.Null(pod.Status);
    }
}
