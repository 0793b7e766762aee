namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>kubectl's generator commands send protobuf bodies for built-in kinds (and never fall back to JSON).</summary>
[Trait("Category", "Integration")]
public sealed class KubectlCreateTests
{
    [Fact]
    public async Task CreateConfigMapAndSecret_FromLiterals_StoresTheData()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var configMap = await kubectl.RunAsync("create configmap settings --from-literal=a=b --from-literal=mode=fast");
        var secret = await kubectl.RunAsync("create secret generic token --from-literal=key=v");
        var data = await kubectl.RunAsync("get configmap settings -o jsonpath={.data.a}/{.data.mode}");
        var secretData = await kubectl.RunAsync("get secret token -o jsonpath={.type}/{.data.key}");

        Assert.True(configMap.ExitCode == 0, configMap.Error);
        Assert.Contains("configmap/settings created", configMap.Output, StringComparison.Ordinal);
        Assert.True(secret.ExitCode == 0, secret.Error);
        Assert.Contains("secret/token created", secret.Output, StringComparison.Ordinal);
        Assert.Equal("b/fast", data.Output);
        // "v" in base64 is "dg==".
        Assert.Equal("Opaque/dg==", secretData.Output);
    }

    [Fact]
    public async Task CreateNamespaceServiceAccountAndService_AreServed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var created = new[]
        {
            await kubectl.RunAsync("create namespace team-a"),
            await kubectl.RunAsync("create serviceaccount runner -n team-a"),
            await kubectl.RunAsync("create service clusterip api -n team-a --tcp=80:8080"),
        };
        var service = await kubectl.RunAsync("get service api -n team-a -o jsonpath={.spec.type}/{.spec.ports[0].port}/{.spec.ports[0].targetPort}/{.spec.selector.app}");
        var account = await kubectl.RunAsync("get serviceaccount runner -n team-a -o name");

        Assert.All(created, result => Assert.True(result.ExitCode == 0, result.Error));
        Assert.Equal("ClusterIP/80/8080/api", service.Output);
        Assert.Equal("serviceaccount/runner", account.Output.Trim());
    }
}
