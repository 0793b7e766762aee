namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// Where a CEL expression runs (a CRD rule, an admission policy): the names it may use as values, what an error says
/// when it uses another, and the prefix its compiled program is cached under.
/// </summary>
internal sealed record CelExpressionScope(string Name, string Says, HashSet<string> Identifiers);
