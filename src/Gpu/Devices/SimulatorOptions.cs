namespace TensorFusion.Gpu.Devices;

/// <summary>A simulated node: <paramref name="DeviceCount"/> devices of one catalog model, uuids
/// "<paramref name="UuidPrefix"/>-&lt;index&gt;" (unique per node), load noise seeded by <paramref name="Seed"/>.</summary>
public sealed record SimulatorOptions(string Model, int DeviceCount, string UuidPrefix, ulong Seed = 0);
