namespace TensorFusion.Pipelines.Simulation;

/// <summary>The root of fleet.yaml: groups of identical GPU nodes.</summary>
public sealed class FleetDocument
{
    public List<FleetNodeGroup>? Nodes { get; set; }
}
