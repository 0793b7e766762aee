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

    public void Save(AgentCheckpoint checkpoint)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, checkpoint, PlanJson.Options);
            stream.Flush(flushToDisk: true);
        }

        // rename(2) replaces the old file atomically: a crash leaves either the old or the new checkpoint.
        File.Move(temporary, Path, overwrite: true);
    }
}
