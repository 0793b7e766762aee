namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>What one ResourceSlice publish did.</summary>
public enum SlicePublishOutcome
{
    Created,
    Updated,
    Unchanged,

    /// <summary>The API server does not serve resource.k8s.io/v1 ResourceSlices (older cluster): retried at the next heartbeat.</summary>
    NotServed,
}
