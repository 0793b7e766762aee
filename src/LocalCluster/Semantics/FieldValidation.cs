namespace TensorFusion.LocalCluster.Semantics;

/// <summary>The `fieldValidation` query parameter: what to do with fields the schema does not know.</summary>
public enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}
