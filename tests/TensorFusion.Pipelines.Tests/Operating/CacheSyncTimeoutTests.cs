using System.Net;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;
using TensorFusion.Pipelines.Tests.Allocation;
using TensorFusion.Pipelines.Tests.Workloads;

namespace TensorFusion.Pipelines.Tests.Operating;

/// <summary>The cache-sync gate gives up: an operator whose caches cannot all sync fails start-up instead of waiting forever.</summary>
public sealed class CacheSyncTimeoutTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_PoolListRefusedPastCacheSyncTimeout_FailsNamingTheCacheThatNeverSynced()
    {
        // GPUPool lists answer 404 (the CRD is not installed); every other list is answered. No reconcile may run half
        // blind, and start-up must not wait forever: once CacheSyncTimeout passes on the clock (97 s here, a due time no
        // other timer shares; 2 min shipped) RunAsync fails with a TimeoutException naming GPUPool and only GPUPool.
        Assert.Equal(TimeSpan.FromMinutes(2), new OperatorOptions().CacheSyncTimeout);
        var time = new TimerWatchingTimeProvider();
        var armed = time.NextTimerAsync(TimeSpan.FromSeconds(97));
        using var api = new RefusesPoolLists(new InMemoryKubeApi());
        using var http = new HttpClient(api);
        var client = new KubeRestClient(http, new Uri("http://in-memory/"));
        var options = new OperatorOptions { CacheSyncTimeout = TimeSpan.FromSeconds(97), EnableAllocation = false };
        var tensorFusion = new TensorFusionOperator(client, options, time, Prometheus.Metrics.NewCustomRegistry(), new Random(1));

        var run = Task.Run(() => tensorFusion.RunAsync(CancellationToken.None));
        await armed.WaitAsync(Wait);
        await Task.WhenAll(tensorFusion.Informers.Where(informer => informer.Kind != "GPUPool").Select(informer => informer.WaitForSyncAsync(CancellationToken.None))).WaitAsync(Wait);
        await api.FirstRefusal.WaitAsync(Wait);
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(97));

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => run.WaitAsync(Wait));
        Assert.Contains("did not sync within 00:01:37 (GPUPool)", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers every GPUPool list 404 (the CRD is missing), passes every other request through.</summary>
    private sealed class RefusesPoolLists(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly TaskCompletionSource _firstRefusal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the first GPUPool list has been refused.</summary>
        public Task FirstRefusal => _firstRefusal.Task;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/gpupools", StringComparison.Ordinal))
            {
                return base.SendAsync(request, cancellationToken);
            }

            _firstRefusal.TrySetResult();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","message":"the server could not find the requested resource","code":404}"""),
                RequestMessage = request,
            });
        }
    }
}
