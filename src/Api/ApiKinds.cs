using System.Reflection;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Gpus;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api;

/// <summary>Every top-level kind of tensor-fusion.ai/v1 with its list type, looked up by kind name.</summary>
public static class ApiKinds
{
    /// <summary>The kinds in a stable order (the order CRDs and examples are listed in).</summary>
    public static IReadOnlyList<ApiKind> All { get; } =
    [
        Describe(typeof(TensorFusionWorkload), typeof(TensorFusionWorkloadList)),
        Describe(typeof(WorkloadProfile), typeof(WorkloadProfileList)),
        Describe(typeof(GpuPool), typeof(GpuPoolList)),
        Describe(typeof(GpuNode), typeof(GpuNodeList)),
        Describe(typeof(Gpu), typeof(GpuList)),
        Describe(typeof(SchedulingConfigTemplate), typeof(SchedulingConfigTemplateList)),
        Describe(typeof(GpuResourceQuota), typeof(GpuResourceQuotaList)),
        Describe(typeof(TensorFusionConnection), typeof(TensorFusionConnectionList)),
    ];

    public static ApiKind? Find(string apiVersion, string kind) =>
        apiVersion == TensorFusionApi.ApiVersion ? All.FirstOrDefault(candidate => candidate.Kind == kind) : null;

    public static ApiKind? FindList(string apiVersion, string kind) =>
        apiVersion == TensorFusionApi.ApiVersion ? All.FirstOrDefault(candidate => candidate.Kind + "List" == kind) : null;

    public static ApiKind Of(Type type) =>
        All.FirstOrDefault(candidate => candidate.Type == type) ?? throw new ArgumentException($"{type.Name} is not a {TensorFusionApi.ApiVersion} kind", nameof(type));

    private static ApiKind Describe(Type type, Type listType)
    {
        var resource = type.GetCustomAttribute<CustomResourceAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} lacks [{nameof(CustomResourceAttribute)}]");
        return new ApiKind(resource.Kind, resource.Plural, resource.Scope, type, listType);
    }
}
