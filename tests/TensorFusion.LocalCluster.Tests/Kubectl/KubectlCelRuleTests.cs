namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>
/// The CEL rules of the project CRDs at `kubectl apply`, as a new user meets them: the shipped examples pass, and
/// each broken variant of the autoscaling example is refused with the rule's field path and message.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KubectlCelRuleTests
{
    [Fact]
    public async Task ApplyWorkloads_BreakingCelRules_RefusedWithFieldAndMessage_ExamplesAccepted()
    {
        var root = Repository.Root();
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        var crdFiles = Directory.GetFiles(Path.Combine(root, "deploy", "crds"), "*.tensor-fusion.ai.yaml").Order(StringComparer.Ordinal);
        foreach (var ns in new[] { "prod", "ml-batch", "ml-serving" })
        {
            await kubectl.RunAsync("apply -f -", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        }

        var crds = await kubectl.RunAsync("apply " + string.Join(' ', crdFiles.Select(file => "-f " + file)));
        Assert.True(crds.ExitCode == 0, crds.Error);
        var example = File.ReadAllText(Path.Combine(root, "deploy", "examples", "tensorfusionworkload-autoscaling.yaml"));

        var cases = new (string Name, string Manifest, string Expected)[]
        {
            ("gang of one", example.Replace("spec:\n", "spec:\n  gangScheduling:\n    minMembers: 1\n", StringComparison.Ordinal),
                "spec.gangScheduling: Invalid value: \"object\": minMembers must be 0 (all desired replicas) or at least 2"),
            ("gang beyond replicas", example.Replace("spec:\n", "spec:\n  gangScheduling:\n    minMembers: 3\n", StringComparison.Ordinal),
                "spec: Invalid value: \"object\": gangScheduling.minMembers must not exceed replicas"),
            ("tflops and compute", example.Replace("      tflops: \"50\"\n", "      tflops: \"50\"\n      compute: \"50\"\n", StringComparison.Ordinal),
                "spec.resources.requests: Invalid value: \"object\": tflops and compute are mutually exclusive"),
            ("cron start equals end", example.Replace("end: \"0 20 * * 1-5\"", "end: \"0 8 * * 1-5\"", StringComparison.Ordinal),
                "spec.autoScalingConfig.cronScalingRules[0]: Invalid value: \"object\": start and end must differ"),
            ("percentile above one", example.Replace("targetComputePercentile: \"0.95\"", "targetComputePercentile: \"1.5\"", StringComparison.Ordinal),
                "spec.autoScalingConfig.autoSetResources.targetComputePercentile: Invalid value: \"string\": must be a number between 0.0 and 1.0"),
            ("threshold above margin", example.Replace("updateThreshold: \"0.1\"", "updateThreshold: \"0.2\"", StringComparison.Ordinal),
                "spec.autoScalingConfig.autoSetResources: Invalid value: \"object\""),
        };

        foreach (var (name, manifest, expected) in cases)
        {
            Assert.NotEqual(example, manifest);
            var refused = await kubectl.RunAsync("apply -f -", manifest);
            Assert.True(refused.ExitCode != 0, $"{name}: accepted: {refused.Output}");
            Assert.Contains(expected, refused.Error, StringComparison.Ordinal);
        }

        foreach (var file in new[] { "tensorfusionworkload-autoscaling.yaml", "tensorfusionworkload-partitioned-mig.yaml", "workloadprofile.yaml", "schedulingconfigtemplate.yaml" })
        {
            var accepted = await kubectl.RunAsync("apply -f " + Path.Combine(root, "deploy", "examples", file));
            Assert.True(accepted.ExitCode == 0, $"{file}: {accepted.Error}");
        }
    }
}
