namespace TensorFusion.Pipelines.Connections;

/// <summary>A connection's next status: its worker (null when none runs), phase and URL.</summary>
public sealed record ConnectionAssignment(string Connection, string? Worker, Api.Connections.ConnectionPhase Phase, string? Url);
