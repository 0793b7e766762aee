using Cel;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>One compiled x-kubernetes-validations rule, with what the error says when it fails.</summary>
public sealed record CelRule(
    string Rule,
    CelProgramDelegate Program,
    string? Message,
    CelProgramDelegate? MessageExpression,
    string? Reason,
    string? FieldPath,
    bool IsTransition);
