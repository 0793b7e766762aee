namespace TensorFusion.Agent.Tests.Registration;

/// <summary>Minimal CRDs for the two kinds the agent writes (schema-free, with a status subresource), so these tests do
/// not depend on the generated CRDs.</summary>
internal static class GpuCrds
{
    public static readonly string[] All = [Crd("gpus", "GPU"), Crd("gpunodes", "GPUNode")];

    private static string Crd(string plural, string kind) => """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"PLURAL.tensor-fusion.ai"},
         "spec":{"group":"tensor-fusion.ai","scope":"Cluster",
           "names":{"plural":"PLURAL","singular":"SINGULAR","kind":"KIND"},
           "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
             "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """.Replace("PLURAL", plural, StringComparison.Ordinal).Replace("SINGULAR", kind.ToLowerInvariant(), StringComparison.Ordinal)
        .Replace("KIND", kind, StringComparison.Ordinal);
}
