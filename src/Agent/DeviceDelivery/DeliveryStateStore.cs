using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Checkpoint;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>Reads and atomically replaces <c>delivery.json</c>. It is a file of its own rather than a field of
/// checkpoint.json because the kubelet's calls and plan pushes arrive concurrently and each file has one writer.</summary>
public sealed class DeliveryStateStore(string path)
{
    public string Path { get; } = path;

    /// <summary>The stored state, empty when there is none. A corrupt file is an error naming the file.</summary>
    public DeliveryState Load() =>
        AtomicJsonFile.ReadVersioned<DeliveryState>(Path, "delivery state", PlanJson.Options, d => d.Version, DeliveryState.CurrentVersion)
        ?? DeliveryState.Empty;

    public void Save(DeliveryState state) => AtomicJsonFile.Write(Path, state, PlanJson.Options);
}
