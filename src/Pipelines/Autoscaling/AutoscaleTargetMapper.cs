using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Options;
using ApiCronScalingRule = TensorFusion.Api.Autoscaling.CronScalingRule;
using ApiQosLevel = TensorFusion.Api.Workloads.QosLevel;
using ApiTargetResource = TensorFusion.Api.Autoscaling.TargetResource;
using TargetResource = TensorFusion.Estimators.Options.TargetResource;
using CronScalingRule = TensorFusion.Estimators.Cron.CronScalingRule;
using QosLevel = TensorFusion.Estimators.Recommendation.QosLevel;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// Reads a TensorFusionWorkload (spec and status) into an <see cref="AutoscaleTarget"/>. A workload is autoscaled when
/// autoSetResources.enable, an enabled cron rule, an enabled external scaler or the annotation
/// <c>tensor-fusion.ai/autoscale: "true"</c> (upstream's shortcut for autoSetResources {enable: true}, with
/// <c>tensor-fusion.ai/autoscale-target</c> naming the resources, default all) says so. Bad settings become
/// configuration errors naming the field, never an exception.
/// </summary>
public static class AutoscaleTargetMapper
{
    /// <summary>True when the workload asks for any autoscaling (and is not being deleted).</summary>
    public static bool IsAutoscaled(TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Metadata?.DeletionTimestamp is not null)
        {
            return false;
        }

        var config = workload.Spec?.AutoScalingConfig;
        return AnnotationEnables(workload)
            || config?.AutoSetResources?.Enable == true
            || config?.CronScalingRules?.Any(rule => rule.Enable == true) == true
            || config?.ExternalScaler?.Enable == true;
    }

    /// <summary>
    /// True when autoSetResources resizes workers in place: enabled with a targetResource (upstream applies nothing
    /// without one and only records recommendations). New workers then start with status.recommendation.
    /// </summary>
    public static bool ResizesInPlace(TensorFusionWorkload workload, out TargetResource resources)
    {
        ArgumentNullException.ThrowIfNull(workload);
        resources = TargetResource.All;
        var settings = workload.Spec?.AutoScalingConfig?.AutoSetResources;
        if (settings?.Enable == true && settings.TargetResource is { } target)
        {
            resources = Map(target);
            return true;
        }

        if (settings?.Enable is null && AnnotationEnables(workload))
        {
            var text = Annotation(workload, Annotations.AutoscaleTarget)?.Trim().ToLowerInvariant();
            resources = text switch
            {
                "compute" or "tflops" => TargetResource.Compute,
                "vram" => TargetResource.Vram,
                _ => TargetResource.All,
            };
            return true;
        }

        return false;
    }

    public static AutoscaleTarget Map(TensorFusionWorkload workload, TimeSpan defaultExternalDelay)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var meta = workload.Metadata ?? new k8s.Models.V1ObjectMeta();
        var spec = workload.Spec ?? new WorkloadProfileSpec();
        var config = spec.AutoScalingConfig;
        var errors = new List<string>();
        var settings = Settings(config?.AutoSetResources, AnnotationEnables(workload));
        var parsed = PercentileOptions.Parse(settings);
        errors.AddRange(parsed.Errors);
        if (Annotation(workload, Annotations.AutoscaleTarget) is { Length: > 0 } targetText
            && targetText.Trim().ToLowerInvariant() is not ("all" or "compute" or "tflops" or "vram"))
        {
            errors.Add($"annotation {Annotations.AutoscaleTarget}: '{targetText}' is not one of compute, vram, all");
        }

        var inPlace = ResizesInPlace(workload, out var resources);
        var key = ObjectKey.Of(meta);
        var external = External(config?.ExternalScaler, key.Namespace, defaultExternalDelay, errors);
        var status = workload.Status;
        return new AutoscaleTarget(
            key.Namespace,
            key.Name,
            ResourceConversions.ToResources(spec.Resources),
            status?.Recommendation is { } recommendation ? ResourceConversions.ToResources(recommendation) : null,
            Qos(spec.Qos),
            parsed.Options,
            config?.CronScalingRules?.Select(Rule).ToList() ?? [],
            status?.ActiveCronScalingRule is { } recorded ? Rule(recorded) : null,
            meta.CreationTimestamp is { } created ? Utc(created) : DateTimeOffset.UnixEpoch,
            inPlace,
            errors,
            resources,
            external,
            meta.Uid);
    }

    private static string? Annotation(TensorFusionWorkload workload, string key) =>
        workload.Metadata?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());

    private static bool AnnotationEnables(TensorFusionWorkload workload) =>
        string.Equals(Annotation(workload, Annotations.Autoscale), "true", StringComparison.OrdinalIgnoreCase);

    private static ExternalScalerTarget? External(ExternalScalerConfig? config, string ns, TimeSpan defaultDelay, List<string> errors)
    {
        if (config?.Enable != true)
        {
            return null;
        }

        if (!Uri.TryCreate(config.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"autoScalingConfig.externalScaler.url: '{config.Url}' is not an http:// or https:// URL");
            return null;
        }

        var delay = defaultDelay;
        if (!string.IsNullOrWhiteSpace(config.InitialDelayPeriod) && (!GoDuration.TryParse(config.InitialDelayPeriod, out delay) || delay < TimeSpan.Zero))
        {
            errors.Add($"autoScalingConfig.externalScaler.initialDelayPeriod: '{config.InitialDelayPeriod}' is not a duration such as 30m");
            delay = defaultDelay;
        }

        TimeSpan? interval = null;
        if (!string.IsNullOrWhiteSpace(config.Interval))
        {
            if (GoDuration.TryParse(config.Interval, out var every) && every > TimeSpan.Zero)
            {
                interval = every;
            }
            else
            {
                errors.Add($"autoScalingConfig.externalScaler.interval: '{config.Interval}' is not a positive duration such as 1m");
            }
        }

        var secret = config.ApiKeySecretRef;
        return new ExternalScalerTarget(url, secret is null ? null : secret.NamespaceProperty ?? ns, secret?.Name, delay, interval);
    }

    private static TargetResource Map(ApiTargetResource target) => target switch
    {
        ApiTargetResource.Compute => TargetResource.Compute,
        ApiTargetResource.Vram => TargetResource.Vram,
        _ => TargetResource.All,
    };

    private static QosLevel Qos(ApiQosLevel? qos) => qos switch
    {
        ApiQosLevel.Critical => QosLevel.Critical,
        ApiQosLevel.High => QosLevel.High,
        ApiQosLevel.Low => QosLevel.Low,
        _ => QosLevel.Medium,
    };

    private static CronScalingRule Rule(ApiCronScalingRule rule) =>
        new(rule.Enable ?? false, rule.Name, rule.Start, rule.End, ResourceConversions.ToResources(rule.DesiredResources), rule.TimeZone);

    private static AutoSetResourcesSettings? Settings(AutoSetResources? settings, bool annotationEnables) => settings is null
        ? annotationEnables ? new AutoSetResourcesSettings { Enable = true } : null
        : new AutoSetResourcesSettings
        {
            Enable = settings.Enable ?? annotationEnables,
            TargetResource = settings.TargetResource switch
            {
                ApiTargetResource.Compute => "compute",
                ApiTargetResource.Vram => "vram",
                ApiTargetResource.All => "all",
                _ => null,
            },
            TargetComputePercentile = settings.TargetComputePercentile,
            LowerBoundComputePercentile = settings.LowerBoundComputePercentile,
            UpperBoundComputePercentile = settings.UpperBoundComputePercentile,
            TargetVramPercentile = settings.TargetVramPercentile,
            LowerBoundVramPercentile = settings.LowerBoundVramPercentile,
            UpperBoundVramPercentile = settings.UpperBoundVramPercentile,
            MarginFraction = settings.MarginFraction,
            UpdateThreshold = settings.UpdateThreshold,
            HistoryDataPeriod = settings.HistoryDataPeriod,
            MinVramResourcesRatio = settings.MinVramResourcesRatio,
            MaxVramResourcesRatio = settings.MaxVramResourcesRatio,
            MinComputeResourcesRatio = settings.MinComputeResourcesRatio,
            MaxComputeResourcesRatio = settings.MaxComputeResourcesRatio,
            InitialDelayPeriod = settings.InitialDelayPeriod,
            Interval = settings.Interval,
            ConfidenceInterval = settings.ConfidenceInterval,
        };
}
