namespace TensorFusion.LocalCluster;

/// <summary>How to start a <see cref="LocalApiServer"/>. The defaults suit tests: ephemeral port, in-memory state.</summary>
public sealed record LocalApiServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Serve HTTPS with a generated loopback certificate (the default): kubectl only sends the bearer token over TLS.
    /// Plain HTTP still works for clients that send the token anyway (HttpClient, KubernetesClient).
    /// </summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>Directory for the SQLite state; null keeps everything in memory.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Bearer token clients must send; null generates a random one at start.</summary>
    public string? Token { get; init; }

    /// <summary>Clock for timestamps, pod start delays, grace periods, heartbeats and bookmarks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many recent events watches can resume from; older resourceVersions answer 410 Expired.</summary>
    public int WatchHistoryCapacity { get; init; } = 100_000;

    /// <summary>
    /// How long an event stays resumable, as etcd's compaction every 5 minutes in Kubernetes: a watch resuming from an
    /// older resourceVersion gets 410 Expired and relists. Keeps a long-running server's memory bounded.
    /// </summary>
    public TimeSpan WatchHistoryRetention { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a watch with allowWatchBookmarks=true gets a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a pod on a simulated node spends in ContainerCreating before it runs.</summary>
    public TimeSpan PodStartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often simulated nodes renew their Lease in kube-node-lease.</summary>
    public TimeSpan NodeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Run the garbage collector, namespace, Deployment/ReplicaSet/Job controllers and simulated kubelet (off for raw-storage benchmarks).</summary>
    public bool RunControllers { get; init; } = true;

    /// <summary>
    /// Simulated kubelets prepare a pod's resource claims with the node's DRA plugins before running it (the default).
    /// False runs such pods without preparing anything: control-plane benchmarks that have no node agents.
    /// </summary>
    public bool PrepareResourceClaims { get; init; } = true;

    /// <summary>Bind pods that ask for the default scheduler to simulated nodes (local mode; tests keep them Pending).</summary>
    public bool RunDefaultScheduler { get; init; }
}
