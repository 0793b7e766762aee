using System.Collections.Concurrent;
using System.Net;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// Sits between the operator's HttpClient and the embedded API server: can answer requests itself (429, 410, 409),
/// cut every open watch stream mid-flight, stall streams (a silent watch), and counts what passed.
/// </summary>
internal sealed class FaultInjectingHandler : DelegatingHandler
{
    private readonly ConcurrentDictionary<CuttableStream, byte> _streams = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _openWaiters = [];
    private int _watchOpens;

    public FaultInjectingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>When set and it returns a response, that response is sent instead of forwarding.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>When set, awaited before a request is forwarded: holds a chosen request until the test releases it.</summary>
    public Func<HttpRequestMessage, Task>? BeforeSend { get; set; }

    /// <summary>Watch streams opened from now on deliver nothing until cut (a dead connection without FIN).</summary>
    public bool StallWatches { get; set; }

    public int WatchOpens
    {
        get
        {
            lock (_gate)
            {
                return _watchOpens;
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> watch streams have been opened in total.</summary>
    public Task WaitForWatchOpensAsync(int count)
    {
        lock (_gate)
        {
            if (_watchOpens >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _openWaiters.Add((count, signal));
            return signal.Task.WaitAsync(OperatorCluster.Wait);
        }
    }

    /// <summary>Breaks every open watch stream (the client sees an IOException).</summary>
    public void CutWatches()
    {
        foreach (var stream in _streams.Keys)
        {
            stream.Cut();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Intercept?.Invoke(request) is { } faked)
        {
            faked.RequestMessage = request;
            return faked;
        }

        if (BeforeSend is { } hold)
        {
            await hold(request);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true && response.IsSuccessStatusCode)
        {
            var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
            var stream = new CuttableStream(inner, StallWatches, s => _streams.TryRemove(s, out _));
            _streams[stream] = 0;
            lock (_gate)
            {
                _watchOpens++;
                foreach (var waiter in _openWaiters.Where(waiter => waiter.Count <= _watchOpens).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _openWaiters.Remove(waiter);
                }
            }
            var content = new StreamContent(stream);
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
        }

        return response;
    }

    public static HttpResponseMessage Status(HttpStatusCode code, string reason, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(code)
        {
            Content = new StringContent($$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{{reason}}","message":"injected {{reason}}","code":{{(int)code}}}"""),
        };
        if (retryAfter is not null)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter.Value);
        }

        return response;
    }
}
