namespace TensorFusion.Agent.Http;

/// <summary>Error body of the agent API: a message and, for invalid plans, one entry per offending field.</summary>
public sealed record ApiError(string Error, IReadOnlyList<string> Details);
