namespace TensorFusion.Api.Validation;

public static class ManifestValidator
{
    public static IReadOnlyList<ValidationError> Validate(object value) => [];
}
