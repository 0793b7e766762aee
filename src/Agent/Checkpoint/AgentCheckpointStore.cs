using System.Text.Json;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Checkpoint;

/// <summary>Reads and atomically replaces the checkpoint file (write temp, fsync, rename).</summary>
public sealed class AgentCheckpointStore(string path)
{
    public string Path { get; } = path;

    /// <summary>The stored checkpoint, or null when there is none. A corrupt file is an error that names the file.</summary>
    public AgentCheckpoint? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize<AgentCheckpoint>(File.ReadAllBytes(Path), PlanJson.Options);
            if (checkpoint is null || checkpoint.Version != AgentCheckpoint.CurrentVersion)
            {
                throw new InvalidDataException(
                    $"checkpoint {Path}: version {checkpoint?.Version} is not {AgentCheckpoint.CurrentVersion}; move the file away to start fresh");
            }

            return checkpoint;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"checkpoint {Path} is not valid JSON (line {e.LineNumber}): {e.Message}", e);
        }
    }

    /// <summary>Replaces the checkpoint atomically: a crash leaves either the old or the new one.</summary>
    public void Save(AgentCheckpoint checkpoint) => AtomicJsonFile.Write(Path, checkpoint, PlanJson.Options);
}
