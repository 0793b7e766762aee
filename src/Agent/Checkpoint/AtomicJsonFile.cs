using System.Text.Json;

namespace TensorFusion.Agent.Checkpoint;

/// <summary>Replaces a JSON file atomically: write a temporary file beside it, fsync, rename over the old one. A crash
/// leaves the old file or the new one, never a torn one (the checkpoint, delivery records and CDI specs use it).</summary>
public static class AtomicJsonFile
{
    /// <summary>Reads a versioned file written by <see cref="Write"/>; null when there is none. A file that is not
    /// valid JSON or has another version is an error naming <paramref name="what"/> and the path (the agent stops
    /// rather than guess).</summary>
    public static T? ReadVersioned<T>(string path, string what, JsonSerializerOptions options, Func<T, int> version, int expectedVersion)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), options);
            if (value is null || version(value) != expectedVersion)
            {
                throw new InvalidDataException(
                    $"{what} {path}: version {(value is null ? "none" : version(value))} is not {expectedVersion}; move the file away to start fresh");
            }

            return value;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} {path} is not valid JSON (line {e.LineNumber}): {e.Message}", e);
        }
    }

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
