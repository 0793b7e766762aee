using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>What a failed validation does under one binding: Deny refuses the request, Warn adds a Warning header.</summary>
internal sealed record PolicyOutcome(string Policy, string Binding, IReadOnlySet<string?> Actions)
{
    public void Refuse(string? reason, string message, WriteOptions options)
    {
        var text = $"ValidatingAdmissionPolicy '{Policy}' with binding '{Binding}' denied request: {message}";
        if (Actions.Contains("Warn"))
        {
            options.Warnings.Add($"Validation failed for ValidatingAdmissionPolicy '{Policy}' with binding '{Binding}': {message}");
        }

        if (Actions.Contains("Deny"))
        {
            var (code, status) = reason switch
            {
                "Forbidden" => (403, "Forbidden"),
                "Unauthorized" => (401, "Unauthorized"),
                "RequestEntityTooLarge" => (413, "RequestEntityTooLarge"),
                _ => (422, "Invalid"),
            };
            throw new ApiException(code, status, text);
        }
    }
}
