namespace TensorFusion.Gpu.Devices;

/// <summary>
/// Load of a simulated process, as a fraction (0–1) of the device or of its MIG instance:
/// constant <c>Base</c>; sine <c>Base + Amplitude·sin(2πt/PeriodSeconds)</c>; step from <c>Base</c> to
/// <c>StepLevel</c> at <c>StepAtSeconds</c>; or a <c>Trace</c> replayed in a loop, one sample per
/// <c>TraceIntervalSeconds</c>. <c>Noise</c> adds a seeded uniform term in [−Noise, +Noise]; t is measured from
/// the process start on the simulator's clock.
/// </summary>
public sealed record LoadModel(LoadKind Kind, double Base, long MemoryBytes)
{
    public double Amplitude { get; init; }
    public double PeriodSeconds { get; init; }
    public double StepAtSeconds { get; init; }
    public double StepLevel { get; init; }
    public double Noise { get; init; }
    public IReadOnlyList<double> Trace { get; init; } = [];
    public double TraceIntervalSeconds { get; init; } = 1;

    public static LoadModel Constant(double level, long memoryBytes) => new(LoadKind.Constant, level, memoryBytes);
}
