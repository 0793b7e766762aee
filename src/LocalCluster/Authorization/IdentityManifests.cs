using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// Applies the identity part of rendered manifests — Namespaces, ServiceAccounts, Roles, ClusterRoles and their
/// bindings — and skips every other kind (Deployments, Services: the embedded server runs the components itself).
/// An object that exists already is overwritten with the manifest's rules and subjects, so the server always holds
/// exactly what the manifests say.
/// </summary>
public static class IdentityManifests
{
    private static readonly Dictionary<string, (string Group, string Plural)> Kinds = new()
    {
        ["Namespace"] = (string.Empty, "namespaces"),
        ["ServiceAccount"] = (string.Empty, "serviceaccounts"),
        ["Role"] = (RbacAuthorizer.Group, "roles"),
        ["RoleBinding"] = (RbacAuthorizer.Group, "rolebindings"),
        ["ClusterRole"] = (RbacAuthorizer.Group, "clusterroles"),
        ["ClusterRoleBinding"] = (RbacAuthorizer.Group, "clusterrolebindings"),
    };

    /// <summary>Applies the documents of <paramref name="yaml"/>; namespaced objects without a namespace go to <paramref name="defaultNamespace"/>.</summary>
    public static async Task<int> ApplyAsync(ResourceOperations operations, ResourceRegistry registry, string yaml, string defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(registry);
        var applied = 0;
        // Namespaces and ServiceAccounts first: bindings name them.
        var documents = RequestBody.ParseYamlDocuments(yaml)
            .Where(document => Kinds.ContainsKey(Meta.Text(document, "kind") ?? string.Empty))
            .OrderBy(document => Meta.Text(document, "kind") switch { "Namespace" => 0, "ServiceAccount" => 1, _ => 2 });
        foreach (var document in documents)
        {
            var (group, plural) = Kinds[Meta.Text(document, "kind")!];
            var type = registry.Find(group, "v1", plural)!;
            var name = Meta.Name(document) ?? throw ApiException.BadRequest($"a {type.Kind} in the manifests has no metadata.name");
            var @namespace = type.Namespaced ? Meta.Text(document["metadata"], "namespace") ?? defaultNamespace : string.Empty;
            if (operations.Store.Get(type.StorageId, @namespace, name) is null)
            {
                await operations.CreateAsync(type, @namespace, document, new WriteOptions());
            }
            else if (type.Kind is not ("Namespace" or "ServiceAccount"))
            {
                // A merge patch replaces arrays wholesale: rules and subjects end up exactly as in the manifest.
                var patch = new JsonObject { ["rules"] = document["rules"]?.DeepClone(), ["subjects"] = document["subjects"]?.DeepClone() };
                if (document["aggregationRule"] is { } aggregation)
                {
                    patch["aggregationRule"] = aggregation.DeepClone();
                }

                await operations.PatchAsync(type, @namespace, name, "application/merge-patch+json", patch, null, new WriteOptions());
            }

            applied++;
        }

        return applied;
    }
}
