namespace TensorFusion.Estimators.Aggregation;

/// <summary>Per-worker bookkeeping inside a workload aggregate: ordering guards and the current VRAM peak window.</summary>
internal struct WorkerUsageState
{
    public long LastTflopsTicks;
    public long LastVramTicks;
    public long VramWindowEndTicks;
    public double VramPeak;

    public static WorkerUsageState Fresh => new()
    {
        LastTflopsTicks = long.MinValue,
        LastVramTicks = long.MinValue,
        VramWindowEndTicks = long.MinValue,
    };
}
