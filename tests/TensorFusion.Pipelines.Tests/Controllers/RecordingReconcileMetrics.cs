using System.Collections.Concurrent;
using TensorFusion.Pipelines.Controllers;

namespace TensorFusion.Pipelines.Tests.Controllers;

internal sealed class RecordingReconcileMetrics : IReconcileMetrics
{
    public ConcurrentQueue<string> Outcomes { get; } = new();

    public void Observe(string outcome, TimeSpan duration) => Outcomes.Enqueue(outcome);
}
