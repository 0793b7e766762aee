using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Resources;

/// <summary>One served resource: where it lives in the URL space, its kind, and what the server knows about its shape.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Kind { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatus { get; init; }

    /// <summary>Other subresources besides status (pods/binding).</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    /// <summary>Serves the <c>scale</c> subresource (autoscaling/v1 Scale over spec.replicas): <c>kubectl scale</c>.</summary>
    public bool HasScale { get; init; }

    /// <summary>The openAPIV3Schema of a custom resource version; null for built-in kinds (stored as free JSON).</summary>
    public JsonObject? Schema { get; init; }

    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    /// <summary>A review kind (SelfSubjectAccessReview, SelfSubjectRulesReview): create only, answered at once, never stored.</summary>
    public bool IsReview { get; init; }

    /// <summary>True for kinds served from a CustomResourceDefinition (they get schema validation and pruning).</summary>
    public bool IsCustom { get; init; }

    /// <summary>Storage identity shared by every version of the same resource.</summary>
    public string StorageId => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    public string ListKind => Kind + "List";
}
