using System.Text.Json;

namespace TensorFusion.Agent.Checkpoint;

/// <summary>Replaces a JSON file atomically: write a temporary file beside it, fsync, rename over the old one. A crash
/// leaves the old file or the new one, never a torn one (the checkpoint, delivery records and CDI specs use it).</summary>
public static class AtomicJsonFile
{
    public static void Write<T>(string path, T value, JsonSerializerOptions options)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, value, options);
            stream.Flush(flushToDisk: true);
        }

        // rename(2) replaces the old file atomically.
        File.Move(temporary, path, overwrite: true);
    }
}
