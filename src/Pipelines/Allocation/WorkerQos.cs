using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;
using ApiQos = TensorFusion.Api.Workloads.QosLevel;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// A worker's QoS when neither the pod nor its workload names one, as upstream's webhook computes it
/// (<c>calculateQoSLevel</c>): requests equal to limits, both TFLOPs and VRAM non-zero, is <c>high</c>; otherwise the
/// pool's <c>qosConfig.defaultQoS</c>, else <c>medium</c>. <c>critical</c> is only ever set explicitly.
/// </summary>
public static class WorkerQos
{
    public static QosLevel Resolve(QosLevel? named, GpuResources request, GpuResources limit, QosLevel? poolDefault) =>
        named ?? (request == limit && request.MilliTflops > 0 && request.VramBytes > 0 ? QosLevel.High : poolDefault ?? QosLevel.Medium);

    /// <summary>The API's QoS as the allocator's (the two enums share names, not necessarily ordinals).</summary>
    public static QosLevel? FromApi(ApiQos? qos) => qos switch
    {
        ApiQos.Low => QosLevel.Low,
        ApiQos.Medium => QosLevel.Medium,
        ApiQos.High => QosLevel.High,
        ApiQos.Critical => QosLevel.Critical,
        _ => null,
    };

    /// <summary>The allocator's QoS as the API's.</summary>
    public static ApiQos ToApi(QosLevel qos) => qos switch
    {
        QosLevel.Low => ApiQos.Low,
        QosLevel.High => ApiQos.High,
        QosLevel.Critical => ApiQos.Critical,
        _ => ApiQos.Medium,
    };
}
