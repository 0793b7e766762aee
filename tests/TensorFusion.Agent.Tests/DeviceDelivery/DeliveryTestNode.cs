using TensorFusion.Agent.Applying;
using TensorFusion.Agent.DeviceDelivery;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>A simulated node with a plan applied and a CDI directory of its own; <see cref="NewDelivery"/> builds a fresh
/// <see cref="WorkerDelivery"/> over the same state, as an agent restart would.</summary>
internal sealed class DeliveryTestNode : IDisposable
{
    public DeliveryTestNode()
    {
        Node = AgentTestNode.Create();
        Applier = Node.NewApplier();
        Paths = new DeliveryPaths
        {
            CdiDirectory = Path.Combine(Node.StateDirectory, "cdi"),
            LimiterDirectory = Path.Combine(Node.StateDirectory, "limiter"),
            RegionDirectory = Node.LimitsDirectory,
        };
    }

    public AgentTestNode Node { get; }
    public NodePlanApplier Applier { get; }
    public DeliveryPaths Paths { get; }
    public string StatePath => Path.Combine(Node.StateDirectory, "delivery.json");

    public WorkerDelivery NewDelivery(IWorkerResolver? resolver = null) =>
        new(Paths, new DeliveryStateStore(StatePath), () => Applier.CurrentPlan, Node.Device, resolver ?? new ClaimNaming());

    public string SpecPath(string workerKey) => Path.Combine(Paths.CdiDirectory, $"tensor-fusion.ai-worker_{workerKey}.json");

    public void Dispose() => Node.Dispose();
}
