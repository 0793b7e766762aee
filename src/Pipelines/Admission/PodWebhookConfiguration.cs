using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// The MutatingWebhookConfiguration the operator serves (deploy/base ships the same for a cluster). Chosen so a webhook
/// that is down never blocks pods that do not ask for GPUs: only pods labelled <c>tensor-fusion.ai/enabled: "true"</c>
/// are sent (objectSelector), never kube-system's or the operator's own namespace (namespaceSelector), and
/// <c>failurePolicy: Fail</c> then refuses an opted-in pod rather than starting it without its GPU share — the
/// trade-off is that GPU pods wait for the operator, everything else never does. Timeout 10 s, as upstream.
/// </summary>
public static class PodWebhookConfiguration
{
    public const string Name = "tensor-fusion-pod-webhook";
    public const string MutatingWebhookName = "mutate-pod.tensor-fusion.ai";

    public static JsonObject Build(Uri url, string operatorNamespace) => new()
    {
        ["apiVersion"] = "admissionregistration.k8s.io/v1",
        ["kind"] = "MutatingWebhookConfiguration",
        ["metadata"] = new JsonObject { ["name"] = Name },
        ["webhooks"] = new JsonArray
        {
            new JsonObject
            {
                ["name"] = MutatingWebhookName,
                ["admissionReviewVersions"] = new JsonArray("v1"),
                ["sideEffects"] = "NoneOnDryRun",
                ["failurePolicy"] = "Fail",
                ["timeoutSeconds"] = 10,
                ["reinvocationPolicy"] = "Never",
                ["clientConfig"] = new JsonObject { ["url"] = url.ToString() },
                ["rules"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["operations"] = new JsonArray("CREATE"),
                        ["apiGroups"] = new JsonArray(""),
                        ["apiVersions"] = new JsonArray("v1"),
                        ["resources"] = new JsonArray("pods"),
                        ["scope"] = "Namespaced",
                    },
                },
                ["objectSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [Labels.Enabled] = "true" } },
                ["namespaceSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["key"] = "kubernetes.io/metadata.name",
                            ["operator"] = "NotIn",
                            ["values"] = new JsonArray("kube-system", operatorNamespace),
                        },
                    },
                },
            },
        },
    };
}
