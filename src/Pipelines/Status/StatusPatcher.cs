using System.Text.Json.Nodes;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Status;

/// <summary>
/// Writes status as a merge patch to <c>/status</c> guarded by the object's resourceVersion. On 409 it reads the
/// object again and rebuilds the patch from the fresh copy (so fields other writers own, like their conditions,
/// survive), up to five tries 10 ms apart (client-go's DefaultRetry); a sixth conflict surfaces as an error and the
/// key is retried with backoff.
/// </summary>
public sealed class StatusPatcher(KubeRestClient client, TimeProvider time)
{
    private const int Attempts = 5;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);

    /// <param name="objectPath">The object's path (without <c>/status</c>).</param>
    /// <param name="current">The object the caller computed from (the first try uses its resourceVersion).</param>
    /// <param name="buildPatch">Builds the status patch from an object, or null when nothing needs writing.</param>
    /// <param name="resourceVersion">Reads an object's resourceVersion (the patch's precondition).</param>
    /// <param name="cancellationToken">Stops the retries.</param>
    /// <returns>True when a patch was written.</returns>
    public async Task<bool> PatchAsync<T>(string objectPath, T current, Func<T, JsonObject?> buildPatch, Func<T, string?> resourceVersion, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(buildPatch);
        ArgumentNullException.ThrowIfNull(resourceVersion);
        var subject = current;
        for (var attempt = 1; ; attempt++)
        {
            var status = buildPatch(subject);
            if (status is null)
            {
                return false;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion(subject) },
                ["status"] = status,
            };
            try
            {
                await client.MergePatchAsync<JsonNode>(objectPath + "/status", patch, cancellationToken);
                return true;
            }
            catch (ApiStatusException e) when (e.IsConflict && attempt < Attempts)
            {
                await Task.Delay(Pause, time, cancellationToken);
                subject = await client.TryGetAsync<T>(objectPath, cancellationToken);
                if (subject is null)
                {
                    return false;
                }
            }
        }
    }
}
