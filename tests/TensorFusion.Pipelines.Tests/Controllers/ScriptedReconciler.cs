using System.Threading.Channels;
using TensorFusion.Pipelines.Controllers;

namespace TensorFusion.Pipelines.Tests.Controllers;

/// <summary>A reconciler whose answers a test scripts; it reports every call and the peak concurrency per key.</summary>
internal sealed class ScriptedReconciler(Func<string, int, Task<ReconcileResult>> answer) : IReconciler<string>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _running = [];
    private readonly Dictionary<string, int> _calls = [];

    public Channel<string> Started { get; } = Channel.CreateUnbounded<string>();

    public int MaxConcurrentSameKey { get; private set; }

    public int Calls(string key)
    {
        lock (_gate)
        {
            return _calls.GetValueOrDefault(key);
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        int call;
        lock (_gate)
        {
            call = _calls[key] = _calls.GetValueOrDefault(key) + 1;
            var running = _running[key] = _running.GetValueOrDefault(key) + 1;
            MaxConcurrentSameKey = Math.Max(MaxConcurrentSameKey, running);
        }

        Started.Writer.TryWrite(key);
        try
        {
            return await answer(key, call);
        }
        finally
        {
            lock (_gate)
            {
                _running[key]--;
            }
        }
    }
}
