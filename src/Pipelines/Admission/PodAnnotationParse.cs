namespace TensorFusion.Pipelines.Admission;

/// <summary>Outcome of parsing a pod: the parsed request, or every problem found (all of them, so one retry fixes all).</summary>
public sealed record PodAnnotationParse(ParsedGpuPod? Parsed, IReadOnlyList<AdmissionProblem> Problems)
{
    public bool IsValid => Parsed is not null && Problems.Count == 0;

    /// <summary>One line for a kubectl error: each problem names its annotation.</summary>
    public string Describe() => string.Join("; ", Problems);
}
