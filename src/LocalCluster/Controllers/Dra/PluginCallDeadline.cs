namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>A cancellation token for one plugin call: the caller's, or the end of the call's time on the TimeProvider.</summary>
public sealed class PluginCallDeadline : IDisposable
{
    /// <summary>How long the kubelet waits for one plugin call.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public PluginCallDeadline(TimeProvider time, CancellationToken cancellationToken)
    {
        _timer = new CancellationTokenSource(Timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
