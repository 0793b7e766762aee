namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>
/// Bad values in a TensorFusionWorkload, applied with plain kubectl against the project's CRDs, are refused as a real
/// API server refuses them: 422 naming the field and the value, and nothing stored.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KubectlAdmissionTests
{
    public static TheoryData<string, string, string> BadValues() => new()
    {
        { "resources: {requests: {tflops: abc, vram: 1Gi}, limits: {tflops: '1', vram: 1Gi}}", "spec.resources.requests.tflops", "Invalid value: \"abc\"" },
        { "resources: {requests: {tflops: '-5', vram: 1Gi}, limits: {tflops: '1', vram: 1Gi}}", "spec.resources.requests.tflops", "Invalid value: \"-5\"" },
        { "resources: {requests: {tflops: '1', vram: 1.5.5Gi}, limits: {tflops: '1', vram: 1Gi}}", "spec.resources.requests.vram", "Invalid value: \"1.5.5Gi\"" },
        { "qos: ultra", "spec.qos", "Unsupported value: \"ultra\"" },
        { "gpuCount: 0", "spec.gpuCount", "should be greater than or equal to 1" },
        { "gpuCount: 200", "spec.gpuCount", "should be less than or equal to 128" },
        { "replicas: 3000000000", "spec.replicas", "" },
        { "isolation: sideways", "spec.isolation", "Unsupported value: \"sideways\"" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Apply_BadWorkloadValue_RefusedNamingTheFieldAndNothingStored(string specLine, string field, string detail)
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        var crd = Path.Combine(RepositoryRoot(), "deploy", "crds", "tensorfusionworkloads.tensor-fusion.ai.yaml");
        Assert.Equal(0, (await kubectl.RunAsync("apply -f " + crd)).ExitCode);

        var applied = await kubectl.RunAsync("apply -f -", $"""
            apiVersion: tensor-fusion.ai/v1
            kind: TensorFusionWorkload
            metadata:
              name: bad
              namespace: default
            spec:
              poolName: default-pool
              {specLine}
            """);
        var stored = await kubectl.RunAsync("get tfw bad -n default");

        Assert.NotEqual(0, applied.ExitCode);
        Assert.Contains("The TensorFusionWorkload \"bad\" is invalid", applied.Error, StringComparison.Ordinal);
        Assert.Contains(field + ": ", applied.Error, StringComparison.Ordinal);
        Assert.Contains(detail, applied.Error, StringComparison.Ordinal);
        Assert.Contains("NotFound", stored.Error, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("TensorFusion.slnx not found above the test binaries");
    }
}
