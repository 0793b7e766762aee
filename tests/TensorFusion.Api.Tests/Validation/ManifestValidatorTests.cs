using System.Reflection;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Gpus;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Validation;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Tests.Validation;

public sealed class ManifestValidatorTests
{
    [Fact]
    public void Validate_CodeBuiltWorkloadWithSeveralProblems_ReportsEachWithItsPath()
    {
        var workload = new TensorFusionWorkload
        {
            Metadata = new V1ObjectMeta { Name = "w" },
            Spec = new WorkloadProfileSpec
            {
                GpuCount = 129,
                Resources = new GpuResourceRequirements
                {
                    Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("10"), Compute = new ResourceQuantity("50") },
                    Limits = new GpuResourceAmount { Compute = new ResourceQuantity("101") },
                },
                AutoScalingConfig = new AutoScalingConfig
                {
                    CronScalingRules = [new CronScalingRule { Name = "r", Start = "0 8 * * *", End = "0 8 * * *", TimeZone = "not a zone" }],
                    AutoSetResources = new AutoSetResources { HistoryDataPeriod = "2 hours" },
                },
            },
        };

        var errors = ManifestValidator.Validate(workload).Select(error => error.ToString()).ToList();

        Assert.Equal(
            [
                "spec.resources.requests.compute: tflops and compute are mutually exclusive; set one of them",
                "spec.resources.limits.compute: must be between 0 and 100, got 101",
                "spec.gpuCount: must be between 1 and 128, got 129",
                "spec.autoScalingConfig.autoSetResources.historyDataPeriod: must be a duration such as \"30s\", \"5m\" or \"1h30m\", got \"2 hours\"",
                "spec.autoScalingConfig.cronScalingRules[0].end: must differ from start, both are \"0 8 * * *\"",
                "spec.autoScalingConfig.cronScalingRules[0].timeZone: must be an IANA time zone name such as Europe/Berlin, got \"not a zone\"",
            ],
            errors);
    }

    [Fact]
    public void Validate_MissingName_IsRequired()
    {
        var errors = ManifestValidator.Validate(new Gpu());

        Assert.Equal("metadata.name: required", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_MapOverItsBound_ReportsTheCount()
    {
        // GPU status.nodeSelector is bounded at 16 entries; 17 are given.
        var gpu = new Gpu
        {
            Metadata = new V1ObjectMeta { Name = "g" },
            Status = new GpuStatus { NodeSelector = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v") },
        };

        var error = Assert.Single(ManifestValidator.Validate(gpu));

        Assert.Equal("status.nodeSelector: must have at most 16 entries, got 17", error.ToString());
    }

    [Fact]
    public void EveryValidationRuleWithATwin_NamesAnImplementedRule()
    {
        var rules = typeof(ApiKinds).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes<ValidationRuleAttribute>())
            .ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.NotNull(rule.ManifestValidatorRule);
            Assert.Contains(rule.ManifestValidatorRule, ManifestRulesNames());
        });
    }

    private static IEnumerable<string> ManifestRulesNames() =>
        ((IReadOnlyDictionary<string, Func<object, ValidationError?>>)typeof(ManifestValidator).Assembly
            .GetType("TensorFusion.Api.Validation.ManifestRules")!
            .GetProperty("ByName", BindingFlags.Public | BindingFlags.Static)!
            .GetValue(null)!).Keys;
}
