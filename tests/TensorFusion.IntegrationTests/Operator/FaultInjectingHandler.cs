using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// Sits between the operator's HttpClient and the embedded API server: can answer requests itself (429, 410, 409),
/// cut every open watch stream mid-flight, stall streams (a silent watch), play an outage (every connection refused,
/// every watch reset mid-event, until the test ends it), and counts what passed.
/// </summary>
internal sealed class FaultInjectingHandler : DelegatingHandler
{
    private readonly ConcurrentDictionary<CuttableStream, string> _streams = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _openWaiters = [];
    private readonly Dictionary<string, int> _refused = new(StringComparer.Ordinal);
    private readonly List<(IReadOnlyCollection<string> Paths, int Each, TaskCompletionSource Signal)> _refusalWaiters = [];
    private int _watchOpens;
    private volatile bool _outage;

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

    /// <summary>The paths (no query) of the watch streams open now.</summary>
    public IReadOnlyCollection<string> OpenWatchPaths => [.. _streams.Values.Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The API server becomes unreachable: every request from now on fails as a refused connection (none reaches the
    /// server), and every open watch is reset in the middle of an event. Refusals are counted per path.
    /// </summary>
    public void StartOutage()
    {
        _outage = true;
        foreach (var stream in _streams.Keys)
        {
            stream.CutMidEvent();
        }
    }

    /// <summary>The API server is reachable again (connections are accepted; nothing is replayed).</summary>
    public void EndOutage() => _outage = false;

    /// <summary>Completes once every one of <paramref name="paths"/> has had <paramref name="each"/> requests refused.</summary>
    public Task WaitForRefusalsAsync(IReadOnlyCollection<string> paths, int each)
    {
        lock (_gate)
        {
            if (paths.All(path => _refused.GetValueOrDefault(path) >= each))
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _refusalWaiters.Add((paths, each, signal));
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
        if (_outage)
        {
            Refuse(request.RequestUri!.AbsolutePath);
        }

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
            _streams[stream] = request.RequestUri.AbsolutePath;
            if (_outage)
            {
                // Opened as the outage began: reset like the rest.
                stream.CutMidEvent();
            }

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

    private void Refuse(string path)
    {
        lock (_gate)
        {
            _refused[path] = _refused.GetValueOrDefault(path) + 1;
            foreach (var waiter in _refusalWaiters.Where(waiter => waiter.Paths.All(p => _refused.GetValueOrDefault(p) >= waiter.Each)).ToList())
            {
                waiter.Signal.TrySetResult();
                _refusalWaiters.Remove(waiter);
            }
        }

        throw new HttpRequestException(HttpRequestError.ConnectionError, $"connection refused (injected outage): {path}", new SocketException((int)SocketError.ConnectionRefused));
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
