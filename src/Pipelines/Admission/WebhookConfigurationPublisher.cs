using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Keeps the webhook configurations trusting the operator's CA: writes the current caBundle into every webhook of the
/// named MutatingWebhookConfiguration (and ValidatingWebhookConfiguration, when named). With
/// <see cref="EnsureAsync"/> it first creates a missing configuration (what <c>local</c> does; in a cluster
/// deploy/base creates it). Read-modify-replace with the resourceVersion, retried on conflict.
/// </summary>
public sealed class WebhookConfigurationPublisher(KubeRestClient client, ILogger logger)
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
        var bundle = Convert.ToBase64String(caBundle);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = await client.TryGetAsync<JsonObject>(Base + plural + "/" + name, cancellationToken);
                if (current is null)
                {
                    if (desired is null)
                    {
                        WebhookLog.ConfigurationMissing(logger, plural, name);
                        return;
                    }

                    var created = (JsonObject)desired.DeepClone();
                    SetBundle(created, bundle);
                    await client.CreateAsync(Base + plural, created, cancellationToken);
                    return;
                }

                if (!SetBundle(current, bundle))
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

    /// <summary>Sets the bundle on every webhook; false when all already had it.</summary>
    private static bool SetBundle(JsonObject configuration, string bundle)
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
            if (clientConfig["caBundle"]?.GetValue<string>() != bundle)
            {
                clientConfig["caBundle"] = bundle;
                changed = true;
            }
        }

        return changed;
    }
}
