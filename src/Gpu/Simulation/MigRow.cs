namespace TensorFusion.Gpu.Simulation;

/// <summary>MIG instances on a GPU and the slices no profile can use any more (stranded).</summary>
public sealed record MigRow(int Instances, int StrandedMemorySlices, int StrandedComputeSlices);
