using k8s;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Host.Tests.Local;

/// <summary>
/// The local-mode examples the README and the banner point at are valid and target the local default pool: a workload
/// names it, or an annotated pod template (admitted by the pod webhook) lands in it by the is-default-pool rule.
/// </summary>
public sealed class LocalExamplesTests
{
    public static TheoryData<string> ExampleFiles() =>
        new(Directory.GetFiles(RepositoryFiles.Path("deploy", "examples", "local"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task Read_LocalExample_IsValidAndUsesTheDefaultPool(string fileName)
    {
        var path = RepositoryFiles.Path("deploy", "examples", "local", fileName);

        var result = await ManifestReader.ReadFileAsync(path, new ManifestReadOptions { IgnoreForeignKinds = true });

        Assert.Empty(result.Errors);
        var workloads = result.Objects.Select(entry => entry.Resource).OfType<TensorFusionWorkload>().ToList();
        Assert.All(workloads, workload => Assert.Equal("default-pool", workload.Spec?.PoolName));
        if (workloads.Count == 0)
        {
            var parse = ParseTemplate(await File.ReadAllTextAsync(path));
            Assert.True(parse.IsValid, parse.Describe());
            Assert.Equal("default-pool", parse.Parsed!.Pool.Metadata.Name);
        }
    }

    /// <summary>The pod template of the example's Deployment, as the pod webhook parses it against local's pools.</summary>
    private static PodAnnotationParse ParseTemplate(string yaml)
    {
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(yaml);
        var pod = new V1Pod { Metadata = deployment.Spec.Template.Metadata, Spec = deployment.Spec.Template.Spec };
        pod.Metadata.Name = deployment.Metadata.Name + "-0";
        pod.Metadata.NamespaceProperty = "default";
        Assert.Equal("true", pod.Metadata.Labels[Labels.Enabled]);
        var localPool = new GpuPool
        {
            Metadata = new V1ObjectMeta { Name = "default-pool", Annotations = new Dictionary<string, string> { [Annotations.IsDefaultPool] = "true" } },
            Spec = new GpuPoolSpec(),
        };
        return PodAnnotationParser.Parse(pod, null, AdmissionLookups.Of([localPool]));
    }
}
