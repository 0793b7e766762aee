using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Keeps the webhook configurations trusting the operator's CA: writes the current caBundle into every webhook of the
/// named MutatingWebhookConfiguration (and ValidatingWebhookConfiguration, when named); a missing configuration is an
/// error (the caller retries). With <see cref="EnsureAsync"/> it first creates a missing configuration instead.
/// Read-modify-replace with the resourceVersion, retried on conflict. The bundle written is merged with what other
/// replicas published (<see cref="CaBundleMerge"/>), so replicas never lock each other out.
/// </summary>
public sealed class WebhookConfigurationPublisher(KubeRestClient client, ILogger logger, TimeProvider? time = null)
{
    private const string Base = "/apis/admissionregistration.k8s.io/v1/";

    public Task PublishAsync(string plural, string name, byte[] caBundle, CancellationToken cancellationToken) =>
        WriteAsync(plural, name, caBundle, desired: null, cancellationToken);

    /// <summary>Creates <paramref name="desired"/> when missing, else only updates its caBundle.</summary>
    public Task EnsureAsync(string plural, JsonObject desired, byte[] caBundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return WriteAsync(plural, desired["metadata"]!["name"]!.GetValue<string>(), caBundle, desired, cancellationToken);
    }

    private async Task WriteAsync(string plural, string name, byte[] caBundle, JsonObject? desired, CancellationToken cancellationToken)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = await client.TryGetAsync<JsonObject>(Base + plural + "/" + name, cancellationToken);
                if (current is null)
                {
                    if (desired is null)
                    {
                        // Not silent and not given up on: the renewal loop logs this and tries again every 10 s, since
                        // `kubectl apply -k` creates webhook configurations after the operator's Deployment.
                        throw new InvalidOperationException(
                            $"{plural} {name} does not exist, so the API server cannot trust this webhook yet: apply deploy/base, " +
                            "or run the operator with --webhook-bind-address=off when you bring your own webhook certificate");
                    }

                    var created = (JsonObject)desired.DeepClone();
                    SetBundle(created, caBundle, now);
                    await client.CreateAsync(Base + plural, created, cancellationToken);
                    return;
                }

                if (!SetBundle(current, caBundle, now))
                {
                    return;
                }

                await client.ReplaceAsync(Base + plural + "/" + name, current, cancellationToken);
                return;
            }
            catch (ApiStatusException exception) when (attempt < 5 && (exception.IsConflict || (int)exception.StatusCode >= 500))
            {
                WebhookLog.PublishFailed(logger, attempt, exception);
            }
        }
    }

    /// <summary>Merges this replica's CAs into every webhook's bundle; false when all already had them.</summary>
    private static bool SetBundle(JsonObject configuration, byte[] ours, DateTimeOffset now)
    {
        var changed = false;
        foreach (var webhook in configuration["webhooks"] as JsonArray ?? [])
        {
            if (webhook is not JsonObject hook)
            {
                continue;
            }

            var clientConfig = hook["clientConfig"] as JsonObject ?? [];
            hook["clientConfig"] = clientConfig;
            var published = clientConfig["caBundle"]?.GetValue<string>();
            var bundle = Convert.ToBase64String(CaBundleMerge.Merge(Decode(published), ours, now));
            if (published != bundle)
            {
                clientConfig["caBundle"] = bundle;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The published bundle's bytes; a bundle that is not base64 is replaced rather than blocking every publish.</summary>
    private static byte[]? Decode(string? published)
    {
        try
        {
            return string.IsNullOrEmpty(published) ? null : Convert.FromBase64String(published);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
