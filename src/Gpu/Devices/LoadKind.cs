namespace TensorFusion.Gpu.Devices;

/// <summary>Shapes of simulated load.</summary>
public enum LoadKind
{
    Constant = 0,
    Sine = 1,
    Step = 2,
    Trace = 3,
}
