using Prometheus;
using TensorFusion.Pipelines.Controllers;

namespace TensorFusion.Pipelines.Metrics;

/// <summary>
/// The operator's series, named exactly as docs/metrics.md ("Operator"). Built on an injected registry so that each
/// test gets a fresh one; every series a controller, queue or kind will report exists at zero once it is registered.
/// </summary>
public sealed class OperatorMetrics
{
    private readonly Counter _reconciles;
    private readonly Histogram _reconcileDuration;
    private readonly Gauge _queueDepth;
    private readonly Histogram _queueLatency;
    private readonly Counter _queueRetries;
    private readonly Counter _relists;
    private readonly Counter _watchRestarts;
    private readonly Gauge _cacheObjects;
    private readonly Gauge _invalidObjects;

    public OperatorMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _reconciles = factory.CreateCounter("tensorfusion_reconcile_total", "Reconciles by controller and result.", new CounterConfiguration { LabelNames = ["controller", "result"] });
        _reconcileDuration = factory.CreateHistogram("tensorfusion_reconcile_duration_seconds", "Time per reconcile.", new HistogramConfiguration
        {
            LabelNames = ["controller"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
        });
        _queueDepth = factory.CreateGauge("tensorfusion_workqueue_depth", "Keys waiting in the work queue.", new GaugeConfiguration { LabelNames = ["queue"] });
        _queueLatency = factory.CreateHistogram("tensorfusion_workqueue_queue_duration_seconds", "Time from add to processing.", new HistogramConfiguration
        {
            LabelNames = ["queue"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
        });
        _queueRetries = factory.CreateCounter("tensorfusion_workqueue_retries_total", "Rate-limited requeues.", new CounterConfiguration { LabelNames = ["queue"] });
        _relists = factory.CreateCounter("tensorfusion_informer_relists_total", "Full relists (start, 410 Expired).", new CounterConfiguration { LabelNames = ["kind"] });
        _watchRestarts = factory.CreateCounter("tensorfusion_informer_watch_restarts_total", "Watch reconnects.", new CounterConfiguration { LabelNames = ["kind"] });
        _cacheObjects = factory.CreateGauge("tensorfusion_informer_cache_objects", "Objects in the informer cache.", new GaugeConfiguration { LabelNames = ["kind"] });
        _invalidObjects = factory.CreateGauge("tensorfusion_invalid_objects", "Stored objects quarantined because they cannot be decoded or fail validation.", new GaugeConfiguration { LabelNames = ["kind"] });
    }

    /// <summary>Creates the controller's and its queue's series at zero and returns the sinks they report to.</summary>
    public (IReconcileMetrics Reconcile, Queue.IWorkQueueMetrics Queue) ForController(string controller)
    {
        foreach (var outcome in ReconcileOutcome.All)
        {
            _reconciles.WithLabels(controller, outcome);
        }

        _reconcileDuration.WithLabels(controller);
        return (new ControllerSink(_reconciles, _reconcileDuration.WithLabels(controller), controller),
            new QueueSink(_queueDepth.WithLabels(controller), _queueLatency.WithLabels(controller), _queueRetries.WithLabels(controller)));
    }

    /// <summary>Creates the kind's informer series at zero and returns the sink it reports to.</summary>
    public Informers.IInformerMetrics ForKind(string kind) =>
        new InformerSink(_relists.WithLabels(kind), _watchRestarts.WithLabels(kind), _cacheObjects.WithLabels(kind), _invalidObjects.WithLabels(kind));

    private sealed class ControllerSink(Counter reconciles, Histogram.Child duration, string controller) : IReconcileMetrics
    {
        public void Observe(string outcome, TimeSpan elapsed)
        {
            reconciles.WithLabels(controller, outcome).Inc();
            duration.Observe(elapsed.TotalSeconds);
        }
    }

    private sealed class QueueSink(Gauge.Child depth, Histogram.Child latency, Counter.Child retries) : Queue.IWorkQueueMetrics
    {
        public void SetDepth(int value) => depth.Set(value);

        public void ObserveQueueLatency(TimeSpan waited) => latency.Observe(waited.TotalSeconds);

        public void CountRetry() => retries.Inc();
    }

    private sealed class InformerSink(Counter.Child relists, Counter.Child restarts, Gauge.Child objects, Gauge.Child invalid) : Informers.IInformerMetrics
    {
        public void CountRelist() => relists.Inc();

        public void CountWatchRestart() => restarts.Inc();

        public void SetCacheObjects(int count) => objects.Set(count);

        public void SetInvalidObjects(int count) => invalid.Set(count);
    }
}
