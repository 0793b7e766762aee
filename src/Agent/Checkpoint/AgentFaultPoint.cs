namespace TensorFusion.Agent.Checkpoint;

/// <summary>Where a fault-injection hook may stop the agent, to test crash recovery.</summary>
public enum AgentFaultPoint
{
    /// <summary>The intent is on disk, the device is unchanged.</summary>
    AfterIntent,
    /// <summary>The device changed, the checkpoint still holds the intent.</summary>
    AfterChange,
}
