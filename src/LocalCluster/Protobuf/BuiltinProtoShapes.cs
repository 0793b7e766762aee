namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>
/// Field numbers of the built-in kinds that kubectl's generator commands (`kubectl create configmap|secret|namespace|
/// serviceaccount|service|role|clusterrole|rolebinding|clusterrolebinding|token|deployment|job ...`, and `kubectl auth
/// can-i|whoami`) send as protobuf, from k8s.io/api core/v1, apps/v1, batch/v1, rbac/v1, authentication/v1,
/// authorization/v1 and apimachinery meta/v1 generated.proto. Pod templates carry the container fields those generators
/// set (name, image, command, args, ports, env) and the common pod spec fields.
/// Only these kinds are decoded; every other protobuf body is answered 415 with a pointer to JSON.
/// </summary>
public static class BuiltinProtoShapes
{
    private static readonly ProtoMessage OwnerReference = Message("OwnerReference",
        (1, new("kind", ProtoKind.Text)),
        (3, new("name", ProtoKind.Text)),
        (4, new("uid", ProtoKind.Text)),
        (5, new("apiVersion", ProtoKind.Text)),
        (6, new("controller", ProtoKind.Boolean)),
        (7, new("blockOwnerDeletion", ProtoKind.Boolean)));

    private static readonly ProtoMessage ObjectMeta = Message("ObjectMeta",
        (1, new("name", ProtoKind.Text)),
        (2, new("generateName", ProtoKind.Text)),
        (3, new("namespace", ProtoKind.Text)),
        (4, new("selfLink", ProtoKind.Text)),
        (5, new("uid", ProtoKind.Text)),
        (6, new("resourceVersion", ProtoKind.Text)),
        (7, new("generation", ProtoKind.Number)),
        (8, new("creationTimestamp", ProtoKind.Time)),
        (9, new("deletionTimestamp", ProtoKind.Time)),
        (10, new("deletionGracePeriodSeconds", ProtoKind.Number)),
        (11, new("labels", ProtoKind.StringMap)),
        (12, new("annotations", ProtoKind.StringMap)),
        (13, new("ownerReferences", ProtoKind.Message, Repeated: true, OwnerReference)),
        (14, new("finalizers", ProtoKind.Text, Repeated: true)),
        (17, new("managedFields", ProtoKind.Ignored)));

    private static readonly ProtoMessage ObjectReference = Message("ObjectReference",
        (1, new("kind", ProtoKind.Text)),
        (2, new("namespace", ProtoKind.Text)),
        (3, new("name", ProtoKind.Text)),
        (4, new("uid", ProtoKind.Text)),
        (5, new("apiVersion", ProtoKind.Text)),
        (6, new("resourceVersion", ProtoKind.Text)),
        (7, new("fieldPath", ProtoKind.Text)));

    private static readonly ProtoMessage LocalObjectReference = Message("LocalObjectReference", (1, new("name", ProtoKind.Text)));

    private static readonly ProtoMessage ServicePort = Message("ServicePort",
        (1, new("name", ProtoKind.Text)),
        (2, new("protocol", ProtoKind.Text)),
        (3, new("port", ProtoKind.Number)),
        (4, new("targetPort", ProtoKind.IntOrString)),
        (5, new("nodePort", ProtoKind.Number)),
        (6, new("appProtocol", ProtoKind.Text)));

    private static readonly ProtoMessage ServiceSpec = Message("ServiceSpec",
        (1, new("ports", ProtoKind.Message, Repeated: true, ServicePort)),
        (2, new("selector", ProtoKind.StringMap)),
        (3, new("clusterIP", ProtoKind.Text)),
        (4, new("type", ProtoKind.Text)),
        (5, new("externalIPs", ProtoKind.Text, Repeated: true)),
        (7, new("sessionAffinity", ProtoKind.Text)),
        (8, new("loadBalancerIP", ProtoKind.Text)),
        (9, new("loadBalancerSourceRanges", ProtoKind.Text, Repeated: true)),
        (10, new("externalName", ProtoKind.Text)),
        (11, new("externalTrafficPolicy", ProtoKind.Text)),
        (12, new("healthCheckNodePort", ProtoKind.Number)),
        (13, new("publishNotReadyAddresses", ProtoKind.Boolean)));

    private static readonly ProtoMessage NamespaceSpec = Message("NamespaceSpec", (1, new("finalizers", ProtoKind.Text, Repeated: true)));

    private static readonly ProtoMessage ResourceAttributes = Message("ResourceAttributes",
        (1, new("namespace", ProtoKind.Text)),
        (2, new("verb", ProtoKind.Text)),
        (3, new("group", ProtoKind.Text)),
        (4, new("version", ProtoKind.Text)),
        (5, new("resource", ProtoKind.Text)),
        (6, new("subresource", ProtoKind.Text)),
        (7, new("name", ProtoKind.Text)));

    private static readonly ProtoMessage NonResourceAttributes = Message("NonResourceAttributes",
        (1, new("path", ProtoKind.Text)),
        (2, new("verb", ProtoKind.Text)));

    private static readonly ProtoMessage SelfSubjectAccessReviewSpec = Message("SelfSubjectAccessReviewSpec",
        (1, new("resourceAttributes", ProtoKind.Message, Message: ResourceAttributes)),
        (2, new("nonResourceAttributes", ProtoKind.Message, Message: NonResourceAttributes)));

    private static readonly ProtoMessage SelfSubjectRulesReviewSpec = Message("SelfSubjectRulesReviewSpec", (1, new("namespace", ProtoKind.Text)));

    private static readonly ProtoMessage PolicyRule = Message("PolicyRule",
        (1, new("verbs", ProtoKind.Text, Repeated: true)),
        (2, new("apiGroups", ProtoKind.Text, Repeated: true)),
        (3, new("resources", ProtoKind.Text, Repeated: true)),
        (4, new("resourceNames", ProtoKind.Text, Repeated: true)),
        (5, new("nonResourceURLs", ProtoKind.Text, Repeated: true)));

    private static readonly ProtoMessage LabelSelectorRequirement = Message("LabelSelectorRequirement",
        (1, new("key", ProtoKind.Text)),
        (2, new("operator", ProtoKind.Text)),
        (3, new("values", ProtoKind.Text, Repeated: true)));

    private static readonly ProtoMessage LabelSelector = Message("LabelSelector",
        (1, new("matchLabels", ProtoKind.StringMap)),
        (2, new("matchExpressions", ProtoKind.Message, Repeated: true, LabelSelectorRequirement)));

    private static readonly ProtoMessage AggregationRule = Message("AggregationRule", (1, new("clusterRoleSelectors", ProtoKind.Message, Repeated: true, LabelSelector)));

    private static readonly ProtoMessage Subject = Message("Subject",
        (1, new("kind", ProtoKind.Text)),
        (2, new("apiGroup", ProtoKind.Text)),
        (3, new("name", ProtoKind.Text)),
        (4, new("namespace", ProtoKind.Text)));

    private static readonly ProtoMessage RoleRef = Message("RoleRef",
        (1, new("apiGroup", ProtoKind.Text)),
        (2, new("kind", ProtoKind.Text)),
        (3, new("name", ProtoKind.Text)));

    private static readonly ProtoMessage BoundObjectReference = Message("BoundObjectReference",
        (1, new("kind", ProtoKind.Text)),
        (2, new("apiVersion", ProtoKind.Text)),
        (3, new("name", ProtoKind.Text)),
        (4, new("uid", ProtoKind.Text)));

    private static readonly ProtoMessage TokenRequestSpec = Message("TokenRequestSpec",
        (1, new("audiences", ProtoKind.Text, Repeated: true)),
        (3, new("boundObjectRef", ProtoKind.Message, Message: BoundObjectReference)),
        (4, new("expirationSeconds", ProtoKind.Number)));

    private static readonly ProtoMessage TokenReviewSpec = Message("TokenReviewSpec",
        (1, new("token", ProtoKind.Text)),
        (2, new("audiences", ProtoKind.Text, Repeated: true)));

    private static readonly ProtoMessage SubjectAccessReviewSpec = Message("SubjectAccessReviewSpec",
        (1, new("resourceAttributes", ProtoKind.Message, Message: ResourceAttributes)),
        (2, new("nonResourceAttributes", ProtoKind.Message, Message: NonResourceAttributes)),
        (3, new("user", ProtoKind.Text)),
        (4, new("groups", ProtoKind.Text, Repeated: true)),
        (5, new("extra", ProtoKind.Ignored)),
        (6, new("uid", ProtoKind.Text)));

    private static readonly ProtoMessage PodDisruptionBudgetSpec = Message("PodDisruptionBudgetSpec",
        (1, new("minAvailable", ProtoKind.IntOrString)),
        (2, new("selector", ProtoKind.Message, Message: LabelSelector)),
        (3, new("maxUnavailable", ProtoKind.IntOrString)),
        (4, new("unhealthyPodEvictionPolicy", ProtoKind.Text)));

    // certificates.k8s.io/v1: extra (map<string, ExtraValue>) is server-owned, like username and groups.
    private static readonly ProtoMessage CertificateSigningRequestSpec = Message("CertificateSigningRequestSpec",
        (1, new("request", ProtoKind.Bytes)),
        (2, new("username", ProtoKind.Text)),
        (3, new("uid", ProtoKind.Text)),
        (4, new("groups", ProtoKind.Text, Repeated: true)),
        (5, new("usages", ProtoKind.Text, Repeated: true)),
        (6, new("extra", ProtoKind.Ignored)),
        (7, new("signerName", ProtoKind.Text)),
        (8, new("expirationSeconds", ProtoKind.Number)));

    private static readonly ProtoMessage CertificateSigningRequestCondition = Message("CertificateSigningRequestCondition",
        (1, new("type", ProtoKind.Text)),
        (2, new("reason", ProtoKind.Text)),
        (3, new("message", ProtoKind.Text)),
        (4, new("lastUpdateTime", ProtoKind.Time)),
        (5, new("lastTransitionTime", ProtoKind.Time)),
        (6, new("status", ProtoKind.Text)));

    // Decoded, not ignored: `kubectl certificate approve` PUTs the whole object, conditions included, to /approval.
    private static readonly ProtoMessage CertificateSigningRequestStatus = Message("CertificateSigningRequestStatus",
        (1, new("conditions", ProtoKind.Message, Repeated: true, CertificateSigningRequestCondition)),
        (2, new("certificate", ProtoKind.Bytes)));

    private static readonly ProtoMessage ContainerPort = Message("ContainerPort",
        (1, new("name", ProtoKind.Text)),
        (2, new("hostPort", ProtoKind.Number)),
        (3, new("containerPort", ProtoKind.Number)),
        (4, new("protocol", ProtoKind.Text)),
        (5, new("hostIP", ProtoKind.Text)));

    private static readonly ProtoMessage EnvVar = Message("EnvVar",
        (1, new("name", ProtoKind.Text)),
        (2, new("value", ProtoKind.Text)));

    private static readonly ProtoMessage Container = Message("Container",
        (1, new("name", ProtoKind.Text)),
        (2, new("image", ProtoKind.Text)),
        (3, new("command", ProtoKind.Text, Repeated: true)),
        (4, new("args", ProtoKind.Text, Repeated: true)),
        (5, new("workingDir", ProtoKind.Text)),
        (6, new("ports", ProtoKind.Message, Repeated: true, ContainerPort)),
        (7, new("env", ProtoKind.Message, Repeated: true, EnvVar)),
        (14, new("imagePullPolicy", ProtoKind.Text)));

    private static readonly ProtoMessage PodSpec = Message("PodSpec",
        (2, new("containers", ProtoKind.Message, Repeated: true, Container)),
        (3, new("restartPolicy", ProtoKind.Text)),
        (4, new("terminationGracePeriodSeconds", ProtoKind.Number)),
        (6, new("dnsPolicy", ProtoKind.Text)),
        (7, new("nodeSelector", ProtoKind.StringMap)),
        (8, new("serviceAccountName", ProtoKind.Text)),
        (10, new("nodeName", ProtoKind.Text)),
        (19, new("schedulerName", ProtoKind.Text)),
        (24, new("priorityClassName", ProtoKind.Text)));

    private static readonly ProtoMessage PodTemplateSpec = Message("PodTemplateSpec",
        (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
        (2, new("spec", ProtoKind.Message, Message: PodSpec)));

    private static readonly ProtoMessage DeploymentSpec = Message("DeploymentSpec",
        (1, new("replicas", ProtoKind.Number)),
        (2, new("selector", ProtoKind.Message, Message: LabelSelector)),
        (3, new("template", ProtoKind.Message, Message: PodTemplateSpec)),
        // The embedded Deployment controller replaces all pods at once whatever the strategy says.
        (4, new("strategy", ProtoKind.Ignored)),
        (5, new("minReadySeconds", ProtoKind.Number)),
        (6, new("revisionHistoryLimit", ProtoKind.Number)),
        (7, new("paused", ProtoKind.Boolean)),
        (9, new("progressDeadlineSeconds", ProtoKind.Number)));

    private static readonly ProtoMessage JobSpec = Message("JobSpec",
        (1, new("parallelism", ProtoKind.Number)),
        (2, new("completions", ProtoKind.Number)),
        (3, new("activeDeadlineSeconds", ProtoKind.Number)),
        (4, new("selector", ProtoKind.Message, Message: LabelSelector)),
        (5, new("manualSelector", ProtoKind.Boolean)),
        (6, new("template", ProtoKind.Message, Message: PodTemplateSpec)),
        (7, new("backoffLimit", ProtoKind.Number)),
        (8, new("ttlSecondsAfterFinished", ProtoKind.Number)));

    /// <summary>The decodable kinds by `kind` (the TypeMeta inside the protobuf envelope).</summary>
    public static IReadOnlyDictionary<string, ProtoMessage> ByKind { get; } = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal)
    {
        ["ConfigMap"] = Message("ConfigMap",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("data", ProtoKind.StringMap)),
            (3, new("binaryData", ProtoKind.BytesMap)),
            (4, new("immutable", ProtoKind.Boolean))),
        ["Secret"] = Message("Secret",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("data", ProtoKind.BytesMap)),
            (3, new("type", ProtoKind.Text)),
            (4, new("stringData", ProtoKind.StringMap)),
            (5, new("immutable", ProtoKind.Boolean))),
        ["Namespace"] = Message("Namespace",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: NamespaceSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["ServiceAccount"] = Message("ServiceAccount",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("secrets", ProtoKind.Message, Repeated: true, ObjectReference)),
            (3, new("imagePullSecrets", ProtoKind.Message, Repeated: true, LocalObjectReference)),
            (4, new("automountServiceAccountToken", ProtoKind.Boolean))),
        ["Service"] = Message("Service",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: ServiceSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["SelfSubjectAccessReview"] = Message("SelfSubjectAccessReview",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: SelfSubjectAccessReviewSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["SelfSubjectRulesReview"] = Message("SelfSubjectRulesReview",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: SelfSubjectRulesReviewSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["SubjectAccessReview"] = Message("SubjectAccessReview",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: SubjectAccessReviewSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["SelfSubjectReview"] = Message("SelfSubjectReview",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("status", ProtoKind.Ignored))),
        ["TokenReview"] = Message("TokenReview",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: TokenReviewSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["TokenRequest"] = Message("TokenRequest",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: TokenRequestSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["Role"] = Message("Role",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("rules", ProtoKind.Message, Repeated: true, PolicyRule))),
        ["ClusterRole"] = Message("ClusterRole",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("rules", ProtoKind.Message, Repeated: true, PolicyRule)),
            (3, new("aggregationRule", ProtoKind.Message, Message: AggregationRule))),
        ["Deployment"] = Message("Deployment",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: DeploymentSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["Job"] = Message("Job",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: JobSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["RoleBinding"] = Binding("RoleBinding"),
        ["ClusterRoleBinding"] = Binding("ClusterRoleBinding"),
        ["PodDisruptionBudget"] = Message("PodDisruptionBudget",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: PodDisruptionBudgetSpec)),
            (3, new("status", ProtoKind.Ignored))),
        ["CertificateSigningRequest"] = Message("CertificateSigningRequest",
            (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
            (2, new("spec", ProtoKind.Message, Message: CertificateSigningRequestSpec)),
            (3, new("status", ProtoKind.Message, Message: CertificateSigningRequestStatus))),
    };

    private static ProtoMessage Binding(string kind) => Message(kind,
        (1, new("metadata", ProtoKind.Message, Message: ObjectMeta)),
        (2, new("subjects", ProtoKind.Message, Repeated: true, Subject)),
        (3, new("roleRef", ProtoKind.Message, Message: RoleRef)));

    private static ProtoMessage Message(string name, params (int Number, ProtoField Field)[] fields) =>
        new(name, fields.ToDictionary(field => field.Number, field => field.Field));
}
