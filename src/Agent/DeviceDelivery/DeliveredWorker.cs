namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>A worker that has a CDI spec, and whether its workload switched the limiter off when it was delivered
/// (remembered so a rebuild after a restart needs no API call).</summary>
public sealed record DeliveredWorker(string Namespace, string Worker, bool LimiterDisabled)
{
    public string Key => Gpu.Plans.PlannedAllocation.KeyOf(Namespace, Worker);
}
