namespace TensorFusion.Pipelines.Controllers;

public sealed class NoReconcileMetrics : IReconcileMetrics
{
    public static NoReconcileMetrics Instance { get; } = new();

    public void Observe(string outcome, TimeSpan duration)
    {
    }
}
