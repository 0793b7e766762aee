namespace TensorFusion.LocalCluster.Storage;

/// <summary>The in-memory mode: nothing survives the process.</summary>
public sealed class InMemoryObjectLog : IObjectLog
{
    public (IReadOnlyList<LogWrite> Rows, long Revision) Load() => ([], 0);

    public Task AppendAsync(IReadOnlyList<LogWrite> writes, long revision) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
