using k8s;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Attribution;

/// <summary>
/// Pod UID → worker key for the worker pods on this node, from a list with <c>fieldSelector=spec.nodeName</c> (the
/// agent's RBAC allows exactly that). An unknown UID triggers one background re-list, at most once per
/// <paramref name="minRefreshInterval"/>, so a busy node does not hammer the API server.
/// </summary>
public sealed class KubernetesWorkerDirectory(IKubernetes client, string nodeName, TimeProvider time, TimeSpan minRefreshInterval) : IWorkerDirectory
{
    private readonly Lock _gate = new();
    private Dictionary<string, string> _byUid = new(StringComparer.Ordinal);
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;
    private Task _refreshing = Task.CompletedTask;

    public string? WorkerKeyOf(string podUid)
    {
        lock (_gate)
        {
            if (_byUid.TryGetValue(podUid, out var key))
            {
                return key;
            }

            var now = time.GetUtcNow();
            if (_refreshing.IsCompleted && now - _lastRefresh >= minRefreshInterval)
            {
                _lastRefresh = now;
                _refreshing = RefreshAsync();
            }

            return null;
        }
    }

    /// <summary>Completes when the refresh in flight (if any) has finished; for tests and start-up.</summary>
    public Task WaitForRefreshAsync()
    {
        lock (_gate)
        {
            return _refreshing;
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            var pods = await client.CoreV1.ListPodForAllNamespacesAsync(
                fieldSelector: $"spec.nodeName={nodeName}", labelSelector: Labels.Workload).ConfigureAwait(false);
            var byUid = pods.Items
                .Where(pod => pod.Metadata?.Uid is not null)
                .ToDictionary(pod => pod.Metadata.Uid.ToLowerInvariant(), pod => PlannedAllocation.KeyOf(pod.Metadata.NamespaceProperty, pod.Metadata.Name), StringComparer.Ordinal);
            lock (_gate)
            {
                _byUid = byUid;
            }
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException)
        {
            // Best effort: the next unknown UID after the interval tries again; meanwhile processes stay unattributed.
        }
    }
}
