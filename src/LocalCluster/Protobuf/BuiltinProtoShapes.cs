namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>
/// Field numbers of the built-in kinds that kubectl's generator commands (`kubectl create configmap|secret|namespace|
/// serviceaccount|service ...`, and `kubectl auth can-i`) send as protobuf, from k8s.io/api core/v1 and apimachinery meta/v1 generated.proto.
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
    };

    private static ProtoMessage Message(string name, params (int Number, ProtoField Field)[] fields) =>
        new(name, fields.ToDictionary(field => field.Number, field => field.Field));
}
