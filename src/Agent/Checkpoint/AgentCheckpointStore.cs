using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Checkpoint;

/// <summary>Reads and atomically replaces the checkpoint file (write temp, fsync, rename).</summary>
public sealed class AgentCheckpointStore(string path)
{
    public string Path { get; } = path;

    /// <summary>The stored checkpoint, or null when there is none. A corrupt file is an error that names the file.</summary>
    public AgentCheckpoint? Load() =>
        AtomicJsonFile.ReadVersioned<AgentCheckpoint>(Path, "checkpoint", PlanJson.Options, c => c.Version, AgentCheckpoint.CurrentVersion);

    /// <summary>Replaces the checkpoint atomically: a crash leaves either the old or the new one.</summary>
    public void Save(AgentCheckpoint checkpoint) => AtomicJsonFile.Write(Path, checkpoint, PlanJson.Options);
}
