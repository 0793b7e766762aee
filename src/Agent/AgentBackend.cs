namespace TensorFusion.Agent;

/// <summary>Which libtfaccel backend the agent drives.</summary>
public enum AgentBackend
{
    /// <summary>Real GPUs through NVML.</summary>
    Nvml,
    /// <summary>The deterministic simulator (local mode, tests).</summary>
    Simulator,
}
