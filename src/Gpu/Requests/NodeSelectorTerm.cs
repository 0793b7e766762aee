namespace TensorFusion.Gpu.Requests;

/// <summary>A node selector term: all requirements must match (AND). A list of terms matches when any term does (OR).</summary>
public sealed record NodeSelectorTerm(IReadOnlyList<NodeSelectorRequirement> Requirements)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(requirement => requirement.Matches(labels));

    /// <summary>Kubernetes semantics: no terms means no constraint; otherwise terms are ORed.</summary>
    public static bool AnyMatches(IReadOnlyList<NodeSelectorTerm>? terms, IReadOnlyDictionary<string, string> labels) =>
        terms is null || terms.Count == 0 || terms.Any(term => term.Matches(labels));
}
