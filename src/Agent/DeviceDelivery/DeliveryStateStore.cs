using System.Text.Json;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Checkpoint;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>Reads and atomically replaces <c>delivery.json</c>. It is a file of its own rather than a field of
/// checkpoint.json because the kubelet's calls and plan pushes arrive concurrently and each file has one writer.</summary>
public sealed class DeliveryStateStore(string path)
{
    public string Path { get; } = path;

    /// <summary>The stored state, empty when there is none. A corrupt file is an error naming the file.</summary>
    public DeliveryState Load()
    {
        if (!File.Exists(Path))
        {
            return DeliveryState.Empty;
        }

        try
        {
            var state = JsonSerializer.Deserialize<DeliveryState>(File.ReadAllBytes(Path), PlanJson.Options);
            if (state is null || state.Version != DeliveryState.CurrentVersion)
            {
                throw new InvalidDataException(
                    $"delivery state {Path}: version {state?.Version} is not {DeliveryState.CurrentVersion}; move the file away to start fresh");
            }

            return state;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"delivery state {Path} is not valid JSON (line {e.LineNumber}): {e.Message}", e);
        }
    }

    public void Save(DeliveryState state) => AtomicJsonFile.Write(Path, state, PlanJson.Options);
}
