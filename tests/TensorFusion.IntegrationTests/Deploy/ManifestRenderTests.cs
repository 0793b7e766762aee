using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Deploy")]
public sealed class ManifestRenderTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    [Fact]
    public void Render_EveryKustomization_HasNamespaceOperatorAgentAndDefaultPool()
    {
        foreach (var rendered in manifests.All)
        {
            Assert.Equal("tensor-fusion-system", (string?)rendered.Single("Namespace", "tensor-fusion-system")["metadata"]!["name"]);
            rendered.Single("Deployment", "tensorfusion-operator");
            rendered.Single("DaemonSet", "tensorfusion-agent");
            rendered.Single("ServiceAccount", "tensorfusion-operator");
            rendered.Single("ServiceAccount", "tensorfusion-agent");
            var pool = rendered.Single("GPUPool", "default-pool");
            Assert.Equal("tensor-fusion.ai/v1", (string?)pool["apiVersion"]);
        }
    }

    [Fact]
    public void Render_ClusterScopedObjects_CarryNoNamespace()
    {
        string[] clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "GPUPool", "CustomResourceDefinition", "DeviceClass", "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];
        foreach (var rendered in manifests.All)
        {
            foreach (var manifest in rendered.Objects.Where(m => clusterScoped.Contains((string?)m["kind"])))
            {
                Assert.True(manifest["metadata"]!["namespace"] is null,
                    $"{rendered.Directory}: {manifest["kind"]}/{manifest["metadata"]!["name"]} is cluster-scoped but has a namespace");
            }

            foreach (var manifest in rendered.Objects.Where(m => !clusterScoped.Contains((string?)m["kind"])))
            {
                Assert.Equal("tensor-fusion-system", (string?)manifest["metadata"]!["namespace"]);
            }
        }
    }

    [Fact]
    public void Render_Images_UseThePublishedPlaceholderNameAndTag()
    {
        foreach (var rendered in manifests.All)
        {
            foreach (var container in rendered.Workloads().SelectMany(RenderedManifests.Containers))
            {
                Assert.Equal("ghcr.io/tensorfusion-dotnet/tensorfusion:0.1.0", (string?)container["image"]);
            }
        }
    }

    [Fact]
    public void Render_OperatorContainer_RunsOperatorVerbWithLeaderElectionAndMetricsOn8080()
    {
        foreach (var rendered in manifests.All)
        {
            var container = RenderedManifests.Containers(rendered.Single("Deployment", "tensorfusion-operator")).Single();
            Assert.Equal(["tensorfusion"], RenderedManifests.Strings(container["command"]));
            var args = RenderedManifests.Strings(container["args"]);
            Assert.Equal("operator", args[0]);
            Assert.Contains("--leader-elect", args);
            Assert.Contains("--metrics-bind-address=:8080", args);
            Assert.Equal("8080", (string?)container["ports"]![0]!["containerPort"]);
        }
    }

    [Fact]
    public void Render_AgentContainer_RunsAgentVerbOnPort9090OnGpuNodesOnly()
    {
        foreach (var rendered in manifests.All)
        {
            var agent = rendered.Single("DaemonSet", "tensorfusion-agent");
            var container = RenderedManifests.Containers(agent).Single();
            var args = RenderedManifests.Strings(container["args"]);
            Assert.Equal("agent", args[0]);
            Assert.Contains("--bind=0.0.0.0", args);
            Assert.Contains("--port=9090", args);
            Assert.Contains("--state-dir=/var/lib/tensor-fusion/agent", args);
            Assert.Contains("--token-review-audience=tensorfusion-agent", args);
            Assert.Equal("9090", (string?)container["ports"]![0]!["containerPort"]);
            var podSpec = RenderedManifests.PodSpec(agent);
            Assert.Equal("true", (string?)podSpec["nodeSelector"]!["nvidia.com/gpu.present"]);
            Assert.Contains(podSpec["tolerations"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu");
        }
    }

    [Fact]
    public void Render_AgentService_IsHeadlessAndOperatorServiceExposesMetrics()
    {
        foreach (var rendered in manifests.All)
        {
            Assert.Equal("None", (string?)rendered.Single("Service", "tensorfusion-agent")["spec"]!["clusterIP"]);
            var operatorPort = rendered.Single("Service", "tensorfusion-operator")["spec"]!["ports"]![0]!;
            Assert.Equal(("http-metrics", "8080"), ((string?)operatorPort["name"], (string?)operatorPort["port"]));
        }
    }

    [Fact]
    public void Render_Production_TwoReplicasAndPrometheusOperatorObjects()
    {
        Assert.Equal("2", (string?)manifests.Production.Single("Deployment", "tensorfusion-operator")["spec"]!["replicas"]);
        manifests.Production.Single("ServiceMonitor", "tensorfusion-operator");
        manifests.Production.Single("ServiceMonitor", "tensorfusion-agent");
        manifests.Production.Single("PrometheusRule", "tensorfusion-alerts");
        manifests.Production.Single("PodDisruptionBudget", "tensorfusion-operator");
    }

    [Fact]
    public void Render_Base_NeedsNoPrometheusOperatorCrds()
    {
        Assert.DoesNotContain(manifests.Base.Objects, m => ((string?)m["apiVersion"] ?? "").StartsWith("monitoring.coreos.com/", StringComparison.Ordinal));
        Assert.Empty(manifests.Dev.OfKind("ServiceMonitor"));
    }

    [Fact]
    public void Render_Dev_OneReplicaDebugLoggingAndNoDisruptionBudget()
    {
        var operatorDeployment = manifests.Dev.Single("Deployment", "tensorfusion-operator");
        Assert.Equal("1", (string?)operatorDeployment["spec"]!["replicas"]);
        Assert.Empty(manifests.Dev.OfKind("PodDisruptionBudget"));
        foreach (var container in manifests.Dev.Workloads().SelectMany(RenderedManifests.Containers))
        {
            Assert.Equal("Debug", EnvironmentValue(container, "Logging__LogLevel__Default"));
            // Leader election stays on in dev so that the same code path runs everywhere.
            if ((string?)container["name"] == "operator")
            {
                Assert.Contains("--leader-elect", RenderedManifests.Strings(container["args"]));
            }
        }

        foreach (var container in manifests.Production.Workloads().SelectMany(RenderedManifests.Containers))
        {
            Assert.Equal("Information", EnvironmentValue(container, "Logging__LogLevel__Default"));
        }
    }

    [Fact]
    public void Render_EveryContainer_HasRequestsLimitsAndBothProbes()
    {
        foreach (var rendered in manifests.All)
        {
            foreach (var workload in rendered.Workloads())
            {
                foreach (var container in RenderedManifests.Containers(workload))
                {
                    var where = $"{rendered.Directory}: {workload["kind"]}/{workload["metadata"]!["name"]} container {container["name"]}";
                    foreach (var part in new[] { "requests", "limits" })
                    {
                        foreach (var resource in new[] { "cpu", "memory" })
                        {
                            Assert.True(container["resources"]?[part]?[resource] is not null, $"{where}: no resources.{part}.{resource}");
                        }
                    }

                    Assert.True(container["livenessProbe"]?["httpGet"]?["path"] is not null, $"{where}: no HTTP liveness probe");
                    Assert.True(container["readinessProbe"]?["httpGet"]?["path"] is not null, $"{where}: no HTTP readiness probe");
                }
            }
        }
    }

    private static string? EnvironmentValue(JsonObject container, string name) =>
        (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!["value"];
}
