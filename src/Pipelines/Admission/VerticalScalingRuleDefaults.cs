using System.Text.Json;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Admission;

/// <summary>Upstream's pool-driven autoscaling defaults for an annotated pod (one step of <see cref="PodAnnotationParser"/>).</summary>
public static class VerticalScalingRuleDefaults
{
    /// <summary>
    /// The first rule of the pool's SchedulingConfigTemplate whose selector matches the pod's labels: its
    /// autoSetResources fields override, its cron rules are appended, its external scaler replaces (as upstream).
    /// </summary>
    public static void Apply(V1Pod pod, Api.Pools.GpuPool? pool, AdmissionLookups lookups, WorkloadProfileSpec spec)
    {
        if (pool?.Spec?.SchedulingConfigTemplate is not { Length: > 0 } templateName
            || !lookups.SchedulingTemplates.TryGetValue(templateName, out var template))
        {
            return;
        }

        var rule = template.Spec?.VerticalScalingRules?
            .FirstOrDefault(candidate => candidate.AutoScaling is not null && PodLabelSelector.Matches(candidate.Selector, pod.Metadata?.Labels));
        if (rule?.AutoScaling is not { } ruleConfig)
        {
            return;
        }

        var config = spec.AutoScalingConfig ??= new AutoScalingConfig();
        if (ruleConfig.AutoSetResources is { } ruleAuto)
        {
            var merged = JsonSerializer.SerializeToNode(config.AutoSetResources ?? new AutoSetResources(), TensorFusionJson.Options)!.AsObject();
            foreach (var (key, value) in JsonSerializer.SerializeToNode(ruleAuto, TensorFusionJson.Options)!.AsObject())
            {
                if (value is not null)
                {
                    merged[key] = value.DeepClone();
                }
            }

            config.AutoSetResources = merged.Deserialize<AutoSetResources>(TensorFusionJson.Options);
        }

        if (ruleConfig.CronScalingRules is { Count: > 0 } cron)
        {
            (config.CronScalingRules ??= []).AddRange(cron);
        }

        config.ExternalScaler = ruleConfig.ExternalScaler ?? config.ExternalScaler;
    }
}
