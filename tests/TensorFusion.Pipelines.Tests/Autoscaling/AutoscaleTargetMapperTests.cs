using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Autoscaling;
using EstimatorTarget = TensorFusion.Estimators.Options.TargetResource;

namespace TensorFusion.Pipelines.Tests.Autoscaling;

public sealed class AutoscaleTargetMapperTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(30);

    private static TensorFusionWorkload Workload(AutoScalingConfig? config, Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "llm",
            NamespaceProperty = "team",
            Uid = "u1",
            Annotations = annotations,
            CreationTimestamp = new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc),
        },
        Spec = new WorkloadProfileSpec
        {
            Qos = QosLevel.High,
            Resources = new GpuResourceRequirements
            {
                Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("10"), Vram = new ResourceQuantity("4Gi") },
                Limits = new GpuResourceAmount { Tflops = new ResourceQuantity("500m"), Vram = new ResourceQuantity("8Gi") },
            },
            AutoScalingConfig = config,
        },
    };

    [Fact]
    public void Map_SpecAndSettings_Converted()
    {
        var config = new AutoScalingConfig { AutoSetResources = new AutoSetResources { Enable = true, TargetResource = TargetResource.Compute, MarginFraction = "0.2" } };

        var target = AutoscaleTargetMapper.Map(Workload(config), Delay);

        // 500m TFLOPs = 0.5; 4Gi = 4294967296 bytes.
        Assert.Equal((0.5, 4_294_967_296d), (target.Spec.Limits.Tflops, target.Spec.Requests.VramBytes));
        Assert.Equal((true, EstimatorTarget.Compute, 0.2), (target.AutoSetResources, target.InPlaceResources, target.Options.MarginFraction));
        Assert.Equal((Estimators.Recommendation.QosLevel.High, "team/llm", "u1"), (target.Qos, target.Key, target.Uid));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), target.CreationTime);
        Assert.Empty(target.ConfigurationErrors!);
    }

    [Fact]
    public void Map_EnableWithoutTargetResource_RecommendOnly()
    {
        var workload = Workload(new AutoScalingConfig { AutoSetResources = new AutoSetResources { Enable = true } });

        Assert.True(AutoscaleTargetMapper.IsAutoscaled(workload));
        Assert.False(AutoscaleTargetMapper.Map(workload, Delay).AutoSetResources);
    }

    [Fact]
    public void Map_AutoscaleAnnotation_EnablesInPlaceForTheNamedTarget()
    {
        var workload = Workload(null, new Dictionary<string, string> { [Annotations.Autoscale] = "true", [Annotations.AutoscaleTarget] = "vram" });

        var target = AutoscaleTargetMapper.Map(workload, Delay);

        Assert.True(AutoscaleTargetMapper.IsAutoscaled(workload));
        Assert.Equal((true, EstimatorTarget.Vram, true), (target.AutoSetResources, target.InPlaceResources, target.Options.Enable));
    }

    [Fact]
    public void IsAutoscaled_NothingAskedOrDeleting_False()
    {
        var deleting = Workload(new AutoScalingConfig { AutoSetResources = new AutoSetResources { Enable = true } });
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.False(AutoscaleTargetMapper.IsAutoscaled(Workload(null)));
        Assert.False(AutoscaleTargetMapper.IsAutoscaled(Workload(new AutoScalingConfig { CronScalingRules = [new CronScalingRule { Enable = false }] })));
        Assert.False(AutoscaleTargetMapper.IsAutoscaled(deleting));
    }

    [Fact]
    public void Map_BadSettings_ErrorsNameTheField()
    {
        var config = new AutoScalingConfig
        {
            AutoSetResources = new AutoSetResources { Enable = true, TargetComputePercentile = "1.5" },
            ExternalScaler = new ExternalScalerConfig { Enable = true, Url = "ftp://scaler" },
        };
        var workload = Workload(config, new Dictionary<string, string> { [Annotations.AutoscaleTarget] = "gpu" });

        var target = AutoscaleTargetMapper.Map(workload, Delay);

        Assert.Collection(target.ConfigurationErrors!.Order(StringComparer.Ordinal),
            error => Assert.StartsWith("annotation tensor-fusion.ai/autoscale-target: 'gpu'", error, StringComparison.Ordinal),
            error => Assert.StartsWith("autoScalingConfig.autoSetResources.targetComputePercentile: '1.5'", error, StringComparison.Ordinal),
            error => Assert.StartsWith("autoScalingConfig.externalScaler.url: 'ftp://scaler'", error, StringComparison.Ordinal));
        Assert.Null(target.External);
    }

    [Fact]
    public void Map_ExternalScaler_SecretDefaultsToTheWorkloadsNamespace()
    {
        var config = new AutoScalingConfig
        {
            ExternalScaler = new ExternalScalerConfig { Enable = true, Url = "https://scaler/x", ApiKeySecretRef = new V1SecretReference { Name = "key" }, InitialDelayPeriod = "5m" },
        };

        var external = AutoscaleTargetMapper.Map(Workload(config), Delay).External!;

        Assert.Equal(("team", "key", TimeSpan.FromMinutes(5)), (external.SecretNamespace, external.SecretName, external.InitialDelay));
    }
}
