using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Pipelines.Tests.Admission;

public sealed class PodAnnotationParserTests
{
    private const string P = Labels.Prefix;

    /// <summary>Annotation sets and the one field each must produce (pool "shared" is the default pool).</summary>
    public static TheoryData<string, string, string> Accepted => new()
    {
        // annotations as "key=value|key=value", the spec field read back, its expected value
        { "tflops-limit=20|vram-limit=8Gi", "requests.tflops", "20" },               // request defaults to limit
        { "tflops-limit=20|vram-limit=8Gi", "requests.vram", "8Gi" },
        { "tflops-request=5|tflops-limit=20|vram-limit=8Gi", "requests.tflops", "5" }, // request wins over the default
        { "tflops-request=5", "limits.tflops", "" },                                   // a limit never defaults to the request
        { "compute-percent-limit=50|vram-limit=4Gi", "requests.compute", "50" },       // percent request defaults to its limit
        { "tflops-request=5|gpu-count=4", "gpuCount", "4" },
        { "tflops-request=5", "gpuCount", "1" },                                       // default 1
        { "tflops-request=5|gpu-indices=0,2,3", "gpuCount", "3" },                      // indices override the count
        { "tflops-request=5|gpupool=other", "poolName", "other" },
        { "tflops-request=5", "poolName", "shared" },                                  // the is-default-pool pool
        { "tflops-request=5", "isLocalGPU", "True" },                                  // pool defaultUsingLocalGPU nil ⇒ true
        { "tflops-request=5|gpupool=other", "isLocalGPU", "False" },                   // pool "other" says false
        { "tflops-request=5|gpupool=other|is-local-gpu=true", "isLocalGPU", "True" },  // annotation wins over the pool
        { "tflops-request=5|gpupool=other|sidecar-worker=true", "isLocalGPU", "True" },// sidecar forces local
        { "tflops-request=5", "isolation", "Soft" },
        { "tflops-request=5|isolation=hard", "isolation", "Hard" },
        { "tflops-request=5|tflops-limit=10|vram-request=1Gi|vram-limit=2Gi", "qos", "Medium" }, // burstable, pool has no default
        { "tflops-limit=10|vram-limit=2Gi", "qos", "High" },                           // request = limit ⇒ high
        { "tflops-limit=10|vram-limit=2Gi|qos=low", "qos", "Low" },                    // explicit wins
        { "tflops-request=5|tflops-limit=10|gpupool=other", "qos", "Low" },            // pool "other" defaultQoS low
        { "tflops-request=5|gpu-model=H100", "gpuModel", "H100" },
        { "tflops-request=5|vendor=NVIDIA", "vendor", "NVIDIA" },
        { "tflops-request=5|autoscale=true", "autoscale", "True/All" },
        { "tflops-request=5|autoscale=true|autoscale-target=vram", "autoscale", "True/Vram" },
        { "tflops-request=5|gang-enabled=true|gang-min-members=3|gang-timeout=5m", "gang", "3/5m" },
        { "tflops-request=5|gang-min-members=3", "gang", "" },                          // read only with gang-enabled
        { "tflops-request=5|workload=shared-name", "workloadName", "shared-name" },
        { "tflops-request=5", "workloadName", "pod-1" },                                // bare pod: its own name
        { "isolation=shared", "gpuCount", "1" },                                        // shared needs no request
        { "isolation=partitioned|partition-id=1g.10gb", "partitionTemplateId", "1g.10gb" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Parse_AcceptedAnnotations_FillTheSpecAsUpstream(string annotations, string field, string expected)
    {
        var result = PodAnnotationParser.Parse(Pod(annotations), null, Lookups());

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(expected, Read(result.Parsed!, field));
    }

    /// <summary>Bad annotation sets and the annotation the error must name.</summary>
    public static TheoryData<string, string, string> Rejected => new()
    {
        { "tflops-request=5|compute-percent-request=50", "compute-percent-request", "mutually exclusive" },
        { "tflops-limit=5|compute-percent-limit=50", "compute-percent-request", "mutually exclusive" },
        { "tflops-request=5|gpu-count=0", "gpu-count", "from 1 to 128" },
        { "tflops-request=5|gpu-count=129", "gpu-count", "from 1 to 128" },
        { "tflops-request=5|gpu-count=two", "gpu-count", "from 1 to 128" },
        { "tflops-request=5|qos=urgent", "qos", "low, medium, high, critical" },
        { "tflops-request=5|gpupool=missing", "gpupool", "\"missing\" does not exist" },
        { "tflops-request=5|isolation=strict", "isolation", "shared, soft, hard, partitioned" },
        { "tflops-request=lots", "tflops-request", "not a non-negative quantity" },
        { "tflops-request=-1", "tflops-request", "not a non-negative quantity" },
        { "compute-percent-request=150", "compute-percent-request", "over 100 percent" },
        { "tflops-request=5|is-local-gpu=yes", "is-local-gpu", "not \"true\" or \"false\"" },
        { "tflops-request=5|gpu-indices=0,x", "gpu-indices", "device indices" },
        { "tflops-request=5|gpu-indices=1,1", "gpu-indices", "device indices" },
        { "tflops-request=5|workload-profile=nope", "workload-profile", "does not exist" },
        { "tflops-request=5|dedicated-gpu=true", "dedicated-gpu", "needs tensor-fusion.ai/gpu-model" },
        { "tflops-request=5|dedicated-gpu=true|gpu-model=Z9000", "gpu-model", "not in the catalogue" },
        { "tflops-request=5|autoscale=true|autoscale-target=cpu", "autoscale-target", "compute, vram, all" },
        { "tflops-request=5|autoscale-target=vram", "autoscale-target", "only read together" },
        { "tflops-request=5|gang-enabled=true|gang-min-members=1", "gang-min-members", "at least 2" },
        { "tflops-request=5|gang-enabled=true|gang-timeout=soon", "gang-timeout", "not a duration" },
        { "tflops-request=5|enabled-replicas=many", "enabled-replicas", "whole number" },
        { "gpu-model=H100", "tflops-request", "asks for no GPU resources" },
        { "tflops-request=5|gpupool=other|worker-pod-template=x: 1|is-local-gpu=true", "worker-pod-template", "only applies in remote mode" },
        { "tflops-request=5|inject-container=sidecar", "inject-container", "\"sidecar\" is not in the pod" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Parse_BadAnnotation_ProblemNamesTheAnnotation(string annotations, string annotation, string message)
    {
        var result = PodAnnotationParser.Parse(Pod(annotations), null, Lookups());

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems, p => p.Annotation == P + annotation);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoPoolNamedAndNoDefaultPool_ProblemSaysNoDefaultPool()
    {
        var lookups = Lookups() with { Pools = [Pool("other", isDefault: false)] };

        var result = PodAnnotationParser.Parse(Pod("tflops-request=5"), null, lookups);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(Annotations.GpuPool, problem.Annotation);
        Assert.Contains(Annotations.IsDefaultPool, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralBadAnnotations_ReportsEveryOne()
    {
        var result = PodAnnotationParser.Parse(Pod("tflops-request=5|qos=urgent|gpu-count=0|isolation=x"), null, Lookups());

        Assert.Equal(
            [P + "gpu-count", P + "isolation", P + "qos"],
            result.Problems.Select(p => p.Annotation).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_NativeGpuLimit_BecomesWholeGpuShareOfThatContainer()
    {
        var pod = Pod("vram-limit=8Gi");
        pod.Spec.Containers = [
            new V1Container { Name = "app", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("2") } } },
            new V1Container { Name = "log" },
        ];

        var result = PodAnnotationParser.Parse(pod, null, Lookups());

        Assert.True(result.IsValid, result.Describe());
        var parsed = result.Parsed!;
        Assert.True(parsed.FromNativeGpuLimits);
        Assert.Equal(2, parsed.Spec.GpuCount);
        Assert.Equal("100", parsed.Spec.Resources!.Limits!.Compute!.ToString());
        Assert.Equal("100", parsed.Spec.Resources.Requests!.Compute!.ToString()); // percent request defaults to the limit
        Assert.Equal(["app"], parsed.ContainerNames);
    }

    [Fact]
    public void Parse_NativeGpuLimitWithTflopsLimit_TflopsReplacesThePercent()
    {
        var pod = Pod("tflops-limit=30");
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } };

        var spec = PodAnnotationParser.Parse(pod, null, Lookups()).Parsed!.Spec;

        Assert.Null(spec.Resources!.Limits!.Compute);
        Assert.Equal("30", spec.Resources.Requests!.Tflops!.ToString());
    }

    [Fact]
    public void Parse_WorkloadProfile_IsTemplateTheAnnotationsOverride()
    {
        var profile = new WorkloadProfile
        {
            Metadata = new V1ObjectMeta { Name = "inference", NamespaceProperty = "default" },
            Spec = new WorkloadProfileSpec
            {
                GpuModel = "A100",
                Qos = QosLevel.Low,
                Resources = new GpuResourceRequirements { Requests = new GpuResourceAmount { Tflops = new("10"), Vram = new("4Gi") } },
            },
        };
        var lookups = Lookups() with { Profiles = new Dictionary<string, WorkloadProfile> { ["inference"] = profile } };

        var spec = PodAnnotationParser.Parse(Pod("workload-profile=inference|vram-request=6Gi"), null, lookups).Parsed!.Spec;

        Assert.Equal("A100", spec.GpuModel);               // from the profile
        Assert.Equal(QosLevel.Low, spec.Qos);              // from the profile (an explicit QoS is not recomputed)
        Assert.Equal("10", spec.Resources!.Requests!.Tflops!.ToString());
        Assert.Equal("6Gi", spec.Resources.Requests.Vram!.ToString()); // annotation wins
        Assert.Equal("4Gi", profile.Spec.Resources!.Requests!.Vram!.ToString()); // the cached profile is untouched
    }

    [Fact]
    public void Parse_QuotaDefaults_FillWhatTheAnnotationsLeaveOut()
    {
        var quota = new GpuResourceQuota
        {
            Spec = new GpuResourceQuotaSpec
            {
                SingleWorker = new QuotaSingle
                {
                    DefaultRequests = new GpuResourceAmount { Tflops = new("2"), Vram = new("1Gi") },
                    DefaultLimits = new GpuResourceAmount { Tflops = new("4"), Vram = new("2Gi") },
                },
            },
        };
        var lookups = Lookups() with { NamespaceQuota = quota };

        var spec = PodAnnotationParser.Parse(Pod("vram-limit=3Gi"), null, lookups).Parsed!.Spec;

        Assert.Equal("2", spec.Resources!.Requests!.Tflops!.ToString());
        Assert.Equal("1Gi", spec.Resources.Requests.Vram!.ToString());
        Assert.Equal("4", spec.Resources.Limits!.Tflops!.ToString());
        Assert.Equal("3Gi", spec.Resources.Limits.Vram!.ToString()); // annotation wins over the quota default
    }

    [Fact]
    public void Parse_PoolTemplateRules_FirstMatchingRuleMerges()
    {
        var template = new SchedulingConfigTemplate
        {
            Metadata = new V1ObjectMeta { Name = "tpl" },
            Spec = new SchedulingConfigTemplateSpec
            {
                VerticalScalingRules =
                [
                    new VerticalScalingRule { Name = "other-team", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "b" } }, AutoScaling = new AutoScalingConfig { AutoSetResources = new AutoSetResources { MarginFraction = "0.5" } } },
                    new VerticalScalingRule { Name = "first", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "a" } }, AutoScaling = new AutoScalingConfig { AutoSetResources = new AutoSetResources { MarginFraction = "0.3" } } },
                    new VerticalScalingRule { Name = "second", Selector = new V1LabelSelector(), AutoScaling = new AutoScalingConfig { AutoSetResources = new AutoSetResources { MarginFraction = "0.9" } } },
                ],
            },
        };
        var pools = new List<GpuPool> { Pool("shared", isDefault: true) };
        pools[0].Spec.SchedulingConfigTemplate = "tpl";
        var lookups = Lookups() with { Pools = pools, SchedulingTemplates = new Dictionary<string, SchedulingConfigTemplate> { ["tpl"] = template } };
        var pod = Pod("tflops-request=5|autoscale=true");
        pod.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };

        var auto = PodAnnotationParser.Parse(pod, null, lookups).Parsed!.Spec.AutoScalingConfig!.AutoSetResources!;

        Assert.Equal("0.3", auto.MarginFraction);   // rule "first", not "second"
        Assert.True(auto.Enable);                   // the annotation's fields survive the merge
        Assert.Equal(TargetResource.All, auto.TargetResource);
    }

    [Fact]
    public void Parse_DedicatedGpu_RequestsTheWholeCataloguedGpu()
    {
        var h100 = GpuModelCatalog.Default.Find("H100");

        var spec = PodAnnotationParser.Parse(Pod("dedicated-gpu=true|gpu-model=H100"), null, Lookups()).Parsed!.Spec;

        Assert.Equal((decimal)h100.Fp16Tflops, Math.Round(spec.Resources!.Requests!.Tflops!.ToDecimal(), 3));
        Assert.Equal(h100.VramBytes, (long)spec.Resources.Limits!.Vram!.ToDecimal());
        Assert.Equal(QosLevel.High, spec.Qos); // request = limit
    }

    [Theory]
    [InlineData("tflops-request=10|tflops-limit=10|vram-request=4Gi|vram-limit=4Gi", QosLevel.High)]   // requests = limits, both non-zero
    [InlineData("tflops-request=10|tflops-limit=10", QosLevel.Medium)]                                 // no VRAM: not guaranteed
    [InlineData("tflops-request=10|tflops-limit=20|vram-limit=4Gi", QosLevel.Medium)]                  // request < limit, pool has no default
    [InlineData("tflops-request=10|tflops-limit=20|gpupool=other", QosLevel.Low)]                      // the pool's qosConfig.defaultQoS
    public void Parse_NoQosAnnotation_SameQosTheAllocatorWouldGiveTheWorker(string annotations, QosLevel expected)
    {
        var spec = PodAnnotationParser.Parse(Pod(annotations), null, Lookups()).Parsed!.Spec;

        Assert.Equal(expected, spec.Qos);
    }

    [Fact]
    public void Parse_PodOfAController_JoinsTheRootControllersWorkload()
    {
        var owner = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "llm", Uid = "d-1", Controller = true };

        var parsed = PodAnnotationParser.Parse(Pod("tflops-request=5"), owner, Lookups()).Parsed!;

        Assert.Equal("llm", parsed.WorkloadName);
        Assert.Same(owner, parsed.Owner);
    }

    private static string Read(ParsedGpuPod parsed, string field)
    {
        var spec = parsed.Spec;
        return field switch
        {
            "requests.tflops" => spec.Resources?.Requests?.Tflops?.ToString() ?? "",
            "requests.vram" => spec.Resources?.Requests?.Vram?.ToString() ?? "",
            "requests.compute" => spec.Resources?.Requests?.Compute?.ToString() ?? "",
            "limits.tflops" => spec.Resources?.Limits?.Tflops?.ToString() ?? "",
            "gpuCount" => spec.GpuCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            "poolName" => spec.PoolName ?? "",
            "isLocalGPU" => spec.IsLocalGpu?.ToString() ?? "",
            "isolation" => spec.Isolation?.ToString() ?? "",
            "qos" => spec.Qos?.ToString() ?? "",
            "gpuModel" => spec.GpuModel ?? "",
            "vendor" => spec.Vendor ?? "",
            "autoscale" => spec.AutoScalingConfig?.AutoSetResources is { } auto ? $"{auto.Enable}/{auto.TargetResource}" : "",
            "gang" => spec.GangScheduling is { } gang ? $"{gang.MinMembers}/{gang.Timeout}" : "",
            "workloadName" => parsed.WorkloadName,
            "partitionTemplateId" => spec.PartitionTemplateId ?? "",
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "no reader for this field"),
        };
    }

    private static V1Pod Pod(string annotations) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "pod-1",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { [Labels.Enabled] = "true" },
            Annotations = annotations.Split('|', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => P + pair[0], pair => pair[1]),
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "python:3.12-slim" }] },
    };

    private static GpuPool Pool(string name, bool isDefault, bool? localGpu = null, QosLevel? defaultQos = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { [Annotations.IsDefaultPool] = "true" } : null,
        },
        Spec = new GpuPoolSpec { DefaultUsingLocalGpu = localGpu, QosConfig = defaultQos is null ? null : new QosConfig { DefaultQos = defaultQos } },
    };

    private static AdmissionLookups Lookups() => AdmissionLookups.Of([Pool("shared", isDefault: true), Pool("other", isDefault: false, localGpu: false, defaultQos: QosLevel.Low)]);
}
