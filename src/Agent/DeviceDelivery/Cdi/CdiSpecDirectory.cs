using System.Text.Encodings.Web;
using System.Text.Json;
using TensorFusion.Agent.Checkpoint;

namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>
/// The agent's transient specs in the CDI directory: one file per worker, validated before it is written, replaced
/// atomically (a runtime reading the directory never sees half a spec), removed when the worker goes. Files of
/// other kinds (NVIDIA's <c>nvidia.yaml</c>) are never touched.
/// </summary>
public sealed class CdiSpecDirectory(string directory)
{
    /// <summary>Indented, camelCase as modelled, no escaping of '+' or '&lt;' so golden files read as written.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Directory { get; } = directory;

    public string PathOf(string workerKey) => Path.Combine(Directory, CdiNames.SpecFileName(workerKey));

    /// <summary>Writes the worker's spec unless an identical one is there; true when the file changed.</summary>
    /// <exception cref="InvalidOperationException">The spec breaks a CDI rule (a bug: names come from validated plans).</exception>
    public bool Write(WorkerEdits edits)
    {
        var spec = WorkerCdiSpec.From(edits);
        var problems = CdiSpecRules.Problems(spec);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"CDI spec of worker {edits.Namespace}/{edits.Worker} is invalid: {string.Join("; ", problems)}");
        }

        var path = PathOf(edits.WorkerKey);
        var json = JsonSerializer.SerializeToUtf8Bytes(spec, JsonOptions);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(json))
        {
            return false;
        }

        AtomicJsonFile.Write(path, spec, JsonOptions);
        return true;
    }

    /// <summary>Removes the worker's spec; false when there was none.</summary>
    public bool Remove(string workerKey)
    {
        var path = PathOf(workerKey);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>The worker keys that have a spec file of ours now.</summary>
    public IReadOnlyList<string> WorkerKeys() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Select(file => CdiNames.WorkerKeyOfSpecFile(Path.GetFileName(file)))
                .OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
}
