using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TensorFusion.Pipelines.Informers;

/// <summary>How an <see cref="Informer{T}"/> lists, watches, backs off and checks its cache.</summary>
public sealed record InformerOptions
{
    /// <summary>Where relists, quarantined objects and healed faults are logged.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Only objects matching this label selector (e.g. <c>tensor-fusion.ai/workload</c> for pods).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Server-side watch timeouts are drawn from [this, 2×this] to spread reconnects (client-go: 5 min).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch with no line (event or bookmark) for this long is presumed dead and renewed.</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>First reconnect delay; doubles per failure with full jitter up to <see cref="MaxBackoff"/> (client-go: 800 ms → 30 s).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Check that no code changes cached objects (<see cref="CacheMutationDetector{T}"/>): one serialization per object
    /// on every insert, read and removal, so on in tests and off in production. Defaults to the environment variable
    /// <c>TF_CACHE_MUTATION_DETECTOR</c> (<c>1</c> or <c>true</c>), read when the options are created.
    /// </summary>
    public bool DetectMutations { get; init; } = MutationDetectionByEnvironment();

    /// <summary>The environment variable that turns the detector on for options that do not set it.</summary>
    public const string MutationDetectorVariable = "TF_CACHE_MUTATION_DETECTOR";

    private static bool MutationDetectionByEnvironment() =>
        Environment.GetEnvironmentVariable(MutationDetectorVariable) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
