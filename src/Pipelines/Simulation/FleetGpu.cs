namespace TensorFusion.Pipelines.Simulation;

/// <summary>The GPUs of each node in a fleet group: a model name or alias and how many.</summary>
public sealed class FleetGpu
{
    public string? Model { get; set; }

    public int Count { get; set; } = 1;
}
