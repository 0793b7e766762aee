using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Serialization;
using TensorFusion.Estimators.External;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// Calls an external scaler as upstream does: <c>POST url</c> with
/// <c>{workloadName, namespace, currentResources: {requests, limits}}</c> (quantity strings) and an optional
/// <c>Authorization: Bearer</c> key read from the configured Secret (data key apiKey, token or key), within a time limit
/// (upstream: 10 s). The answer is <c>{needScaleUp, needScaleDown, reason, recommendedResources}</c>. Anything but a
/// 200 with that shape is an error naming the scaler, never an exception.
/// </summary>
public sealed class HttpExternalScaler(HttpClient http, KubeRestClient kube, TimeSpan timeout) : IExternalScaler
{
    private static readonly string[] SecretKeys = ["apiKey", "token", "key"];

    public async Task<ExternalScalerAnswer> AskAsync(AutoscaleTarget target, WorkloadResources current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.External is not { } scaler)
        {
            return new ExternalScalerAnswer(null, "no external scaler configured");
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            string? key = null;
            if (scaler.SecretName is { Length: > 0 } secretName)
            {
                (key, var secretError) = await ReadKeyAsync(scaler.SecretNamespace ?? target.Namespace, secretName, timeoutSource.Token);
                if (secretError is not null)
                {
                    return new ExternalScalerAnswer(null, secretError);
                }
            }

            var body = new JsonObject
            {
                ["workloadName"] = target.Name,
                ["namespace"] = target.Namespace,
                ["currentResources"] = JsonSerializer.SerializeToNode(ResourceConversions.ToRequirements(current), TensorFusionJson.Options),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, scaler.Url)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await http.SendAsync(request, timeoutSource.Token);
            var text = await response.Content.ReadAsStringAsync(timeoutSource.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new ExternalScalerAnswer(null, $"external scaler {scaler.Url}: HTTP {(int)response.StatusCode} {Truncate(text)}");
            }

            return Read(text, scaler.Url);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ExternalScalerAnswer(null, $"external scaler {scaler.Url}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException error)
        {
            return new ExternalScalerAnswer(null, $"external scaler {scaler.Url}: {error.Message}");
        }
    }

    private static ExternalScalerAnswer Read(string text, Uri url)
    {
        try
        {
            if (JsonNode.Parse(text) is not JsonObject answer)
            {
                return new ExternalScalerAnswer(null, $"external scaler {url}: the answer is not a JSON object");
            }

            var resources = answer["recommendedResources"] is JsonObject recommended
                ? ResourceConversions.ToResources(recommended.Deserialize<GpuResourceRequirements>(TensorFusionJson.Options))
                : (WorkloadResources?)null;
            return new ExternalScalerAnswer(new ExternalScalerResponse(
                (bool?)answer["needScaleUp"] ?? false, (bool?)answer["needScaleDown"] ?? false, (string?)answer["reason"], resources), null);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            return new ExternalScalerAnswer(null, $"external scaler {url}: unreadable answer: {error.Message}");
        }
    }

    private async Task<(string? Key, string? Error)> ReadKeyAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var where = $"externalScaler.apiKeySecretRef: Secret {ns}/{name}";
        try
        {
            var secret = await kube.TryGetAsync<JsonObject>($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets/{Uri.EscapeDataString(name)}", cancellationToken);
            if (secret is null)
            {
                return (null, $"{where} does not exist");
            }

            foreach (var dataKey in SecretKeys)
            {
                if ((string?)secret["data"]?[dataKey] is { Length: > 0 } encoded)
                {
                    return (Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Trim(), null);
                }

                if ((string?)secret["stringData"]?[dataKey] is { Length: > 0 } plain)
                {
                    return (plain.Trim(), null);
                }
            }

            return (null, $"{where} has none of the keys {string.Join(", ", SecretKeys)}");
        }
        catch (ApiStatusException error)
        {
            return (null, $"{where} could not be read: {error.Message}");
        }
        catch (FormatException)
        {
            return (null, $"{where}: the key is not base64");
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
