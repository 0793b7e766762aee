namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// A benchmark scenario: runs once and returns its figures. Keys are fixed per scenario (named in its issue)
/// so that results can be compared run to run.
/// </summary>
public interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken);
}
