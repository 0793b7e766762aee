namespace TensorFusion.Agent.DeviceDelivery.DevicePlugin;

/// <summary>Finds the worker pod on this node whose <c>tensor-fusion.ai/index</c> annotation is a given index.</summary>
public interface IWorkerIndex
{
    /// <summary>The worker (namespace, pod name), or null when no pod on this node has that index.</summary>
    Task<(string Namespace, string Worker)?> FindAsync(int podIndex, CancellationToken cancellationToken);
}
