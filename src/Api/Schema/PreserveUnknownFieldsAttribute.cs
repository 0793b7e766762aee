namespace TensorFusion.Api.Schema;

/// <summary>
/// An object kept as free-form JSON: upstream fields the engine carries but does not act on (for example the
/// Karpenter node provisioner). Emitted as <c>type: object</c> with <c>x-kubernetes-preserve-unknown-fields</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
