namespace TensorFusion.Api.Schema;

/// <summary>
/// A CEL rule emitted as <c>x-kubernetes-validations</c> on the schema of the annotated type or property. The
/// <see cref="ManifestValidatorRule"/> names the C# check in <c>ManifestValidator</c> that enforces the same rule
/// offline, so that both stay side by side.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class ValidationRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    public string? ManifestValidatorRule { get; init; }
}
