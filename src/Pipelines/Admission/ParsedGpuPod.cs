using k8s.Models;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// A pod's GPU request as the webhook understood it: the workload it joins (named after the pod's root controller, or
/// the pod itself), that workload's spec, the pool in effect and how the pod asked (native GPU limits or annotations).
/// </summary>
public sealed record ParsedGpuPod(
    string WorkloadName,
    V1OwnerReference? Owner,
    GpuPool Pool,
    WorkloadProfileSpec Spec,
    IReadOnlyList<string> ContainerNames,
    bool FromNativeGpuLimits,
    bool Dedicated,
    int? EnabledReplicas);
