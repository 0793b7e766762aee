using System.Net;
using k8s.Models;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Tests.Allocation;
using TensorFusion.Pipelines.Tests.Workloads;

namespace TensorFusion.Pipelines.Tests.Informers;

/// <summary>Reconnect delays sized as client-go sizes them, and a server's Retry-After honoured when it asks for longer.</summary>
public sealed class InformerBackoffTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public void Next_ShippedDefaults_DoubleFrom800MsToA30SecondCapTimesOnePlusJitter()
    {
        // The shipped InformerOptions: 800 ms first, 30 s cap. With u = 0 the delays are 0.8, 1.6, 3.2, 6.4, 12.8, 25.6
        // s, then 30 s for good; client-go's jitter factor 1.0 multiplies each by (1 + u): with u = 0.999 the first is
        // 1.599 s and the steady state 59.97 s.
        var options = new InformerOptions();
        var low = new JitteredBackoff(options.InitialBackoff, options.MaxBackoff, new FixedRandom(0));
        var high = new JitteredBackoff(options.InitialBackoff, options.MaxBackoff, new FixedRandom(0.999));
        double[] expected = [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30];

        Assert.Equal(expected, expected.Select(_ => Math.Round(low.Next().TotalSeconds, 3)));
        Assert.Equal(expected.Select(seconds => Math.Round(seconds * 1.999, 3)), expected.Select(_ => Math.Round(high.Next().TotalSeconds, 3)));
    }

    [Fact]
    public void Reset_AfterAHealthyWatch_StartsAgainAt800Ms()
    {
        // Four failures reach 6.4 s; a healthy watch resets, so the next failure waits 0.8 s again (u = 0).
        var backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30), new FixedRandom(0));
        var delays = Enumerable.Range(0, 4).Select(_ => backoff.Next()).ToArray();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(6.4), delays[^1]);
        Assert.Equal(TimeSpan.FromSeconds(0.8), backoff.Next());
    }

    [Fact]
    public async Task Run_ListAnswered429WithRetryAfterSeven_WaitsTheServersSevenSecondsThenSyncs()
    {
        // The first list is refused with 429 and Retry-After: 7. Its own backoff would wait 0.8–1.6 s; the informer waits
        // the 7 s the server asked for (a 7 s timer on the fake clock), lists nothing before, and syncs once it passed.
        var time = new TimerWatchingTimeProvider();
        var waitsSeven = time.NextTimerAsync(TimeSpan.FromSeconds(7));
        using var api = new RefusesFirstRequest(new InMemoryKubeApi());
        using var http = new HttpClient(api);
        var client = new KubeRestClient(http, new Uri("http://in-memory/"));
        using var informer = new Informer<V1Pod>(client, ResourceDescriptor.Pods, new InformerOptions(), time, new Random(1));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => informer.RunAsync(stop.Token));
        try
        {
            await waitsSeven.WaitAsync(Wait);
            Assert.Equal(1, api.Requests);
            Assert.False(informer.HasSynced);

            time.Advance(TimeSpan.FromSeconds(7));

            await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Wait);
            Assert.True(api.Requests >= 2);
        }
        finally
        {
            await stop.CancelAsync();
            await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>A <see cref="Random"/> whose <see cref="NextDouble"/> is always the same value (the jitter's u).</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    /// <summary>Answers the first request 429 Too Many Requests with Retry-After: 7, then passes requests through.</summary>
    private sealed class RefusesFirstRequest(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _requests) > 1)
            {
                return base.SendAsync(request, cancellationToken);
            }

            var refused = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                Content = new StringContent("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","message":"slow down","code":429}"""),
                RequestMessage = request,
            };
            refused.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return Task.FromResult(refused);
        }
    }
}
