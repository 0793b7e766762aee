namespace TensorFusion.Agent.Registration;

/// <summary>Publishes the node and its GPUs to the cluster (GPUNode and GPU objects) and writes heartbeats.</summary>
public interface INodeRegistrar
{
    /// <summary>Creates missing objects and updates GPU status where it changed; always refreshes the heartbeat.</summary>
    Task PublishAsync(NodeReport report, CancellationToken cancellationToken);
}
