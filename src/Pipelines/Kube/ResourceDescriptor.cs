using TensorFusion.Api;

namespace TensorFusion.Pipelines.Kube;

/// <summary>Where a kind lives on the API server: group, version, plural and scope.</summary>
public sealed record ResourceDescriptor(string Kind, string Group, string Version, string Plural, bool Namespaced)
{
    public static ResourceDescriptor Workloads { get; } = Custom("TensorFusionWorkload", "tensorfusionworkloads", namespaced: true);

    public static ResourceDescriptor WorkloadProfiles { get; } = Custom("WorkloadProfile", "workloadprofiles", namespaced: true);

    public static ResourceDescriptor Connections { get; } = Custom("TensorFusionConnection", "tensorfusionconnections", namespaced: true);

    public static ResourceDescriptor GpuPools { get; } = Custom("GPUPool", "gpupools", namespaced: false);

    public static ResourceDescriptor GpuNodes { get; } = Custom("GPUNode", "gpunodes", namespaced: false);

    public static ResourceDescriptor Gpus { get; } = Custom("GPU", "gpus", namespaced: false);

    public static ResourceDescriptor SchedulingConfigTemplates { get; } = Custom("SchedulingConfigTemplate", "schedulingconfigtemplates", namespaced: false);

    public static ResourceDescriptor GpuResourceQuotas { get; } = Custom("GPUResourceQuota", "gpuresourcequotas", namespaced: true);

    public static ResourceDescriptor Nodes { get; } = new("Node", string.Empty, "v1", "nodes", Namespaced: false);

    public static ResourceDescriptor Pods { get; } = new("Pod", string.Empty, "v1", "pods", Namespaced: true);

    public static ResourceDescriptor Events { get; } = new("Event", string.Empty, "v1", "events", Namespaced: true);

    public static ResourceDescriptor Leases { get; } = new("Lease", "coordination.k8s.io", "v1", "leases", Namespaced: true);

    public static ResourceDescriptor ResourceClaims { get; } = new("ResourceClaim", "resource.k8s.io", "v1", "resourceclaims", Namespaced: true);

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path: across all namespaces when <paramref name="namespace"/> is null.</summary>
    public string CollectionPath(string? @namespace = null)
    {
        var root = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        return Namespaced && @namespace is not null
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{root}/{Plural}";
    }

    public string ObjectPath(string? @namespace, string name) => $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";

    private static ResourceDescriptor Custom(string kind, string plural, bool namespaced) =>
        new(kind, TensorFusionApi.Group, TensorFusionApi.Version, plural, namespaced);
}
