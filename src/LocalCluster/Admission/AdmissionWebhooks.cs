using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Patching;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>
/// Calls the stored MutatingWebhookConfiguration and ValidatingWebhookConfiguration webhooks on a create, as
/// kube-apiserver does: configurations in name order, each webhook whose rules, namespaceSelector and objectSelector
/// match gets an AdmissionReview v1 over HTTPS, verified against its caBundle; a mutating answer's JSON patch is applied
/// before the next webhook; <c>reinvocationPolicy: IfNeeded</c> webhooks run once more when a later webhook changed the
/// object; validating webhooks see the final object. <c>failurePolicy</c> (default Fail) decides whether an unreachable,
/// slow (timeoutSeconds, default 10) or garbled webhook fails the write or is skipped. Only <c>clientConfig.url</c> is
/// reachable here (there is no Service network); a webhook naming a Service counts as unreachable.
/// </summary>
public sealed class AdmissionWebhooks(ObjectStore store)
{
    public const string MutatingStorageId = "mutatingwebhookconfigurations.admissionregistration.k8s.io";
    public const string ValidatingStorageId = "validatingwebhookconfigurations.admissionregistration.k8s.io";

    /// <summary>Runs mutating then validating webhooks on a new object; returns the object to store.</summary>
    public async Task<JsonObject> AdmitCreateAsync(ResourceType type, string @namespace, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        var mutating = Matching(MutatingStorageId, type, @namespace, body);
        var validating = Matching(ValidatingStorageId, type, @namespace, body);
        if (mutating.Count == 0 && validating.Count == 0)
        {
            return body;
        }

        var current = body;
        var changedBy = new List<int>();
        for (var index = 0; index < mutating.Count; index++)
        {
            if (await CallAsync(mutating[index], type, @namespace, current, dryRun, mutate: true, cancellationToken) is { } patched)
            {
                current = patched;
                changedBy.Add(index);
            }
        }

        // Reinvocation: a webhook that asked for it runs once more if any webhook after it changed the object.
        for (var index = 0; index < mutating.Count; index++)
        {
            if (mutating[index].Hook["reinvocationPolicy"]?.GetValue<string>() == "IfNeeded" && changedBy.Any(later => later > index)
                && await CallAsync(mutating[index], type, @namespace, current, dryRun, mutate: true, cancellationToken) is { } again)
            {
                current = again;
            }
        }

        foreach (var hook in Matching(ValidatingStorageId, type, @namespace, current))
        {
            await CallAsync(hook, type, @namespace, current, dryRun, mutate: false, cancellationToken);
        }

        return current;
    }

    private List<ConfiguredWebhook> Matching(string storageId, ResourceType type, string @namespace, JsonObject body)
    {
        var namespaceLabels = WebhookSelector.NamespaceLabels(store, type, @namespace);
        var objectLabels = Meta.Labels(body);
        var hooks = new List<ConfiguredWebhook>();
        foreach (var configuration in store.List(storageId, null, null).Items.OrderBy(item => item.Name, StringComparer.Ordinal))
        {
            foreach (var hook in (configuration.Value["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (WebhookRules.Match(hook["rules"] as JsonArray, "CREATE", type) && WebhookSelector.Selects(hook, type, namespaceLabels, objectLabels))
                {
                    hooks.Add(new ConfiguredWebhook(configuration.Name, hook));
                }
            }
        }

        return hooks;
    }

    /// <summary>One call; returns the patched object when a mutating webhook changed it, null otherwise.</summary>
    private static async Task<JsonObject?> CallAsync(ConfiguredWebhook webhook, ResourceType type, string @namespace, JsonObject body, bool dryRun, bool mutate, CancellationToken cancellationToken)
    {
        var name = webhook.Hook["name"]?.GetValue<string>() ?? webhook.Configuration;
        var ignoreFailure = webhook.Hook["failurePolicy"]?.GetValue<string>() == "Ignore";
        JsonObject response;
        try
        {
            response = await SendAsync(webhook.Hook, Review(type, @namespace, body, dryRun), cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException or FormatException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            if (ignoreFailure)
            {
                return null;
            }

            throw new ApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {exception.Message}");
        }

        if (response["allowed"]?.GetValue<bool>() != true)
        {
            var status = response["status"];
            var code = status?["code"]?.GetValue<int>() is int c and >= 400 ? c : 403;
            var message = status?["message"]?.GetValue<string>() ?? "no reason given";
            throw new ApiException(code, status?["reason"]?.GetValue<string>() ?? "Forbidden", $"admission webhook \"{name}\" denied the request: {message}");
        }

        if (!mutate || response["patch"]?.GetValue<string>() is not { Length: > 0 } encoded)
        {
            return null;
        }

        if (response["patchType"]?.GetValue<string>() != "JSONPatch")
        {
            throw new ApiException(500, "InternalError", $"Internal error occurred: webhook \"{name}\" answered patchType {response["patchType"]}; only JSONPatch is supported");
        }

        var patch = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        var patched = JsonPatch.Apply(body.DeepClone(), patch) as JsonObject
            ?? throw new ApiException(500, "InternalError", $"Internal error occurred: webhook \"{name}\" patch did not yield an object");
        return JsonNode.DeepEquals(patched, body) ? null : patched;
    }

    private static JsonObject Review(ResourceType type, string @namespace, JsonObject body, bool dryRun)
    {
        var kind = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
        var resource = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural };
        return new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["kind"] = kind,
                ["resource"] = resource,
                ["requestKind"] = kind.DeepClone(),
                ["requestResource"] = resource.DeepClone(),
                ["name"] = Meta.Name(body),
                ["namespace"] = type.Namespaced ? @namespace : null,
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject { ["username"] = "tensorfusion-local" },
                ["object"] = body.DeepClone(),
                ["oldObject"] = null,
                ["dryRun"] = dryRun,
                ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = "CreateOptions" },
            },
        };
    }

    private static async Task<JsonObject> SendAsync(JsonObject hook, JsonObject review, CancellationToken cancellationToken)
    {
        var clientConfig = hook["clientConfig"] as JsonObject ?? throw new InvalidOperationException("the webhook has no clientConfig");
        var url = clientConfig["url"]?.GetValue<string>()
            ?? throw new InvalidOperationException("clientConfig.service is not reachable from the embedded API server (no Service network); use clientConfig.url");
        var timeout = TimeSpan.FromSeconds(Math.Clamp(hook["timeoutSeconds"]?.GetValue<int>() ?? 10, 1, 30));
        using var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustBundle(clientConfig["caBundle"]?.GetValue<string>()) } };
        using var http = new HttpClient(handler) { Timeout = timeout };
        using var answer = await http.PostAsJsonAsync(new Uri(url), review, cancellationToken);
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the webhook answered HTTP {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var body = await JsonNode.ParseAsync(await answer.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return body?["response"] as JsonObject ?? throw new InvalidOperationException("the webhook's answer has no AdmissionReview response");
    }

    /// <summary>Certificate check against the caBundle alone (as kube-apiserver does), with the system roots when it is empty.</summary>
    private static RemoteCertificateValidationCallback TrustBundle(string? caBundle)
    {
        if (string.IsNullOrEmpty(caBundle))
        {
            return (_, _, _, errors) => errors == SslPolicyErrors.None;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(caBundle)));
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
    }
}
