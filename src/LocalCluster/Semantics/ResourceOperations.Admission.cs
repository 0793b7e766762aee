using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Admission;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>Admission webhooks on create (mutating, then validating), before schema validation, as kube-apiserver orders them; admission policies after it.</summary>
public sealed partial class ResourceOperations
{
    /// <summary>The webhook caller; null (tests that build operations by hand) admits everything.</summary>
    public AdmissionWebhooks? Webhooks { get; set; }

    /// <summary>ValidatingAdmissionPolicies on users' creates and updates; null judges nothing.</summary>
    public AdmissionPolicies? Policies { get; set; }

    private Task<JsonObject> AdmitCreateAsync(ResourceType type, string @namespace, JsonObject body, WriteOptions options) =>
        Webhooks is null || type.IsReview
            ? Task.FromResult(body)
            : Webhooks.AdmitCreateAsync(type, @namespace, body, options.DryRun, CancellationToken.None);
}
