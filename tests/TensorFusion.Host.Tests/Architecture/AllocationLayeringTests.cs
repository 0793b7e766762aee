using System.Text.RegularExpressions;

namespace TensorFusion.Host.Tests.Architecture;

/// <summary>
/// Inside the operator's project, the allocator is a lower layer (docs/architecture.md, "The flow"): the reconciler
/// writes what a worker needs onto the worker and the autoscaler reaches the allocator through
/// <c>IAllocationPort</c>, so no code under src/Pipelines/Allocation names the Autoscaling or Workloads namespaces.
/// Checked on the source because a static call leaves no trace in a type's signature.
/// </summary>
public sealed partial class AllocationLayeringTests
{
    [GeneratedRegex(@"(?<![\w.])(TensorFusion\.)?(Pipelines\.)?(Autoscaling|Workloads)\.[A-Z]|Pipelines\.(Autoscaling|Workloads)\b")]
    private static partial Regex HigherLayer();

    [Fact]
    public void AllocationSources_NameNoHigherLayer()
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryFiles.Path("src", "Pipelines", "Allocation"), "*.cs"))
        {
            var lines = File.ReadAllLines(file);
            for (var index = 0; index < lines.Length; index++)
            {
                var code = lines[index].TrimStart();
                if (!code.StartsWith("//", StringComparison.Ordinal) && HigherLayer().IsMatch(code))
                {
                    offenders.Add($"{Path.GetFileName(file)}:{index + 1}: {code}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "Allocation reaches into a higher layer:\n" + string.Join('\n', offenders));
    }

    [Theory]
    [InlineData("using TensorFusion.Pipelines.Autoscaling;", true)]
    [InlineData("var x = Autoscaling.AutoscaleTargetMapper.ResizesInPlace(w, out _);", true)]
    [InlineData("Workloads.WorkloadAnnotationDefaults.From(w)", true)]
    [InlineData("using TensorFusion.Api.Workloads;", false)]
    [InlineData("var phase = Api.Workloads.WorkloadPhase.Running;", false)]
    public void HigherLayer_Pattern_MatchesOnlyPipelinesNamespaces(string line, bool matches) =>
        Assert.Equal(matches, HigherLayer().IsMatch(line));
}
