namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>A worker's devices cannot be delivered now (not in the plan, GPU missing, partition not made yet); the
/// message names the worker and the reason. The kubelet retries, so this is a wait, not a fault of the agent.</summary>
public sealed class DeliveryException : Exception
{
    public DeliveryException()
    {
    }

    public DeliveryException(string message) : base(message)
    {
    }

    public DeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
