namespace TensorFusion.LocalCluster.Resources;

/// <summary>The built-in kinds the embedded control plane serves without a CRD. They are stored as free JSON.</summary>
public static class BuiltinResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("namespaces", "Namespace", "namespace", namespaced: false, hasStatus: true, shortNames: ["ns"]),
        Core("nodes", "Node", "node", namespaced: false, hasStatus: true, shortNames: ["no"]),
        Core("pods", "Pod", "pod", namespaced: true, hasStatus: true, shortNames: ["po"], categories: ["all"], extra: ["binding", "eviction"]),
        Core("events", "Event", "event", namespaced: true, hasStatus: false, shortNames: ["ev"]),
        Core("configmaps", "ConfigMap", "configmap", namespaced: true, hasStatus: false, shortNames: ["cm"]),
        Core("secrets", "Secret", "secret", namespaced: true, hasStatus: false),
        Core("services", "Service", "service", namespaced: true, hasStatus: true, shortNames: ["svc"], categories: ["all"]),
        Core("endpoints", "Endpoints", "endpoints", namespaced: true, hasStatus: false, shortNames: ["ep"]),
        Core("serviceaccounts", "ServiceAccount", "serviceaccount", namespaced: true, hasStatus: false, shortNames: ["sa"], extra: ["token"]),
        new ResourceType
        {
            Group = "events.k8s.io", Version = "v1", Plural = "events", Kind = "Event", Singular = "event",
            Namespaced = true, ShortNames = ["ev"],
        },
        new ResourceType
        {
            Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Kind = "Lease", Singular = "lease",
            Namespaced = true,
        },
        Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", "selfsubjectaccessreview"),
        Review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview", "selfsubjectrulesreview"),
        Review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", "subjectaccessreview"),
        Review("authentication.k8s.io", "tokenreviews", "TokenReview", "tokenreview"),
        Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", "selfsubjectreview"),
        Rbac("roles", "Role", "role", namespaced: true),
        Rbac("rolebindings", "RoleBinding", "rolebinding", namespaced: true),
        Rbac("clusterroles", "ClusterRole", "clusterrole", namespaced: false),
        Rbac("clusterrolebindings", "ClusterRoleBinding", "clusterrolebinding", namespaced: false),
        Admission("mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "mutatingwebhookconfiguration"),
        Admission("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", "validatingwebhookconfiguration"),
        Admission("validatingadmissionpolicies", "ValidatingAdmissionPolicy", "validatingadmissionpolicy"),
        Admission("validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybinding"),
        new ResourceType
        {
            Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions",
            Kind = "CustomResourceDefinition", Singular = "customresourcedefinition", Namespaced = false,
            ShortNames = ["crd", "crds"], HasStatus = true,
            PrinterColumns = [new PrinterColumn("Created At", "date", ".metadata.creationTimestamp")],
        },
        new ResourceType
        {
            Group = "policy", Version = "v1", Plural = "poddisruptionbudgets", Kind = "PodDisruptionBudget",
            Singular = "poddisruptionbudget", Namespaced = true, HasStatus = true, ShortNames = ["pdb"],
        },
        new ResourceType
        {
            Group = "certificates.k8s.io", Version = "v1", Plural = "certificatesigningrequests", Kind = "CertificateSigningRequest",
            Singular = "certificatesigningrequest", Namespaced = false, HasStatus = true, ShortNames = ["csr"], ExtraSubresources = ["approval"],
            PrinterColumns = [AgeColumn, new("SignerName", "string", ".spec.signerName"), new("Requestor", "string", ".spec.username"),
                new("Condition", "string", ".status.conditions[*].type")],
        },
        .. DynamicResourceKinds.All(),
        Replicated("deployments", "Deployment", "deployment", ["deploy"],
            [new("Desired", "integer", ".spec.replicas"), new("Ready", "integer", ".status.readyReplicas"), new("Up-to-date", "integer", ".status.updatedReplicas"),
             new("Available", "integer", ".status.availableReplicas"), AgeColumn]),
        Replicated("replicasets", "ReplicaSet", "replicaset", ["rs"],
            [new("Desired", "integer", ".spec.replicas"), new("Current", "integer", ".status.replicas"), new("Ready", "integer", ".status.readyReplicas"), AgeColumn]),
        new ResourceType
        {
            Group = "batch", Version = "v1", Plural = "jobs", Kind = "Job", Singular = "job", Namespaced = true, HasStatus = true,
            Categories = ["all"],
            PrinterColumns = [new("Completions", "integer", ".spec.completions"), new("Succeeded", "integer", ".status.succeeded"), new("Active", "integer", ".status.active"), AgeColumn],
        },
    ];

    private static PrinterColumn AgeColumn => new("Age", "date", ".metadata.creationTimestamp");

    /// <summary>apps/v1 kinds with replicas: served with status and the scale subresource (the built-in controllers act on them).</summary>
    private static ResourceType Replicated(string plural, string kind, string singular, string[] shortNames, PrinterColumn[] columns) => new()
    {
        Group = "apps", Version = "v1", Plural = plural, Kind = kind, Singular = singular, Namespaced = true, HasStatus = true, HasScale = true,
        ShortNames = shortNames, Categories = ["all"], PrinterColumns = columns,
    };

    private static ResourceType Admission(string plural, string kind, string singular) => new()
    {
        Group = "admissionregistration.k8s.io", Version = "v1", Plural = plural, Kind = kind, Singular = singular,
        Namespaced = false, Categories = ["api-extensions"],
    };

    /// <summary>Access and token reviews: create only, answered by RBAC and the authenticators, never stored.</summary>
    private static ResourceType Review(string group, string plural, string kind, string singular) => new()
    {
        Group = group, Version = "v1", Plural = plural, Kind = kind, Singular = singular,
        Namespaced = false, IsReview = true,
    };

    /// <summary>rbac.authorization.k8s.io/v1: stored as free JSON and read by the authorizer on every request.</summary>
    private static ResourceType Rbac(string plural, string kind, string singular, bool namespaced) => new()
    {
        Group = "rbac.authorization.k8s.io", Version = "v1", Plural = plural, Kind = kind, Singular = singular, Namespaced = namespaced,
    };

    private static ResourceType Core(
        string plural, string kind, string singular, bool namespaced, bool hasStatus,
        string[]? shortNames = null, string[]? categories = null, string[]? extra = null) => new()
        {
            Group = string.Empty,
            Version = "v1",
            Plural = plural,
            Kind = kind,
            Singular = singular,
            Namespaced = namespaced,
            HasStatus = hasStatus,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            ExtraSubresources = extra ?? [],
        };
}
