using System.Text.Json.Nodes;
using TensorFusion.Api.Serialization;
using TensorFusion.Host.Admission;
using TensorFusion.Host.Cli;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>The manifests against the code they configure: the CLI that parses the container args, the API types that read the pool.</summary>
[Trait("Category", "Deploy")]
public sealed class ManifestAlignmentTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    [Theory]
    [InlineData("DaemonSet", "tensorfusion-agent", "agent")]
    [InlineData("Deployment", "tensorfusion-operator", "operator")]
    public void ContainerArgs_EveryOverlay_ParseWithTheTensorfusionCli(string kind, string name, string verb)
    {
        foreach (var rendered in manifests.All)
        {
            var container = RenderedManifests.Containers(rendered.Single(kind, name)).Single();
            // The kubelet expands $(VAR) from the container env before the process starts.
            var args = RenderedManifests.Strings(container["args"])
                .Select(a => a.Replace("$(NODE_NAME)", "gpu-node-a", StringComparison.Ordinal)
                    .Replace("$(POD_NAMESPACE)", "tensor-fusion-system", StringComparison.Ordinal))
                .ToArray();

            var parseResult = TensorFusionCli.Create().Parse(args);

            Assert.True(parseResult.Errors.Count == 0,
                $"{rendered.Directory}: tensorfusion {string.Join(' ', args)}:\n{string.Join('\n', parseResult.Errors.Select(e => e.Message))}");
            Assert.Equal(verb, parseResult.CommandResult.Command.Name);
        }
    }

    [Fact]
    public void PodWebhook_ShippedConfiguration_SameRulesAndSelectorsAsLocalModeAndTheOperatorsFlags()
    {
        foreach (var rendered in manifests.All)
        {
            var shipped = rendered.Single("MutatingWebhookConfiguration", PodWebhookConfiguration.Name)["webhooks"]!.AsArray().Single()!.AsObject();
            var local = PodWebhookConfiguration.Build(new Uri("https://127.0.0.1:9443/mutate-v1-pod"), "tensor-fusion-system")["webhooks"]!.AsArray().Single()!.AsObject();
            var operatorArgs = RenderedManifests.Strings(RenderedManifests.Containers(rendered.Single("Deployment", "tensorfusion-operator")).Single()["args"]);
            var service = rendered.Single("Service", "tensorfusion-operator-webhook");

            // Only how the webhook is reached differs (a Service in a cluster, a loopback URL in local mode).
            foreach (var field in new[] { "name", "rules", "objectSelector", "namespaceSelector", "failurePolicy", "timeoutSeconds", "sideEffects", "admissionReviewVersions" })
            {
                Assert.True(JsonNode.DeepEquals(AsText(local[field]), AsText(shipped[field])), $"{rendered.Directory}: webhook {field} differs: {shipped[field]?.ToJsonString()} vs {local[field]?.ToJsonString()}");
            }

            Assert.Equal(PodWebhookServer.MutatePath, (string?)shipped["clientConfig"]!["service"]!["path"]);
            Assert.Equal("tensorfusion-operator-webhook", (string?)shipped["clientConfig"]!["service"]!["name"]);
            Assert.Contains("--webhook-service=tensorfusion-operator-webhook", operatorArgs);
            Assert.Equal("https-webhook", (string?)service["spec"]!["ports"]![0]!["targetPort"]);
        }
    }

    /// <summary>The rendered YAML carries every scalar as text; compare the code's JSON the same way.</summary>
    private static JsonNode? AsText(JsonNode? node) => node switch
    {
        JsonObject value => new JsonObject(value.Select(pair => KeyValuePair.Create(pair.Key, AsText(pair.Value)))),
        JsonArray items => new JsonArray([.. items.Select(AsText)]),
        JsonValue scalar => JsonValue.Create(scalar.ToString()),
        _ => null,
    };

    [Fact]
    public void DefaultPool_ReadsAndValidatesAsAGpuPool()
    {
        var path = RepositoryLayout.Deploy("base", "pool", "default-pool.yaml");

        var result = ManifestReader.Read(File.ReadAllText(path), path);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal("default-pool", Assert.Single(result.GetObjectsOrThrow()).Metadata.Name);
    }
}
