namespace TensorFusion.LocalCluster.Tests.Kubectl;

[Trait("Category", "Integration")]
public sealed class KubectlAuthTests
{
    [Fact]
    public async Task AuthCanI_Admin_AnswersYesAndListsEverything()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var single = await kubectl.RunAsync("auth can-i delete pods -n kube-system");
        var list = await kubectl.RunAsync("auth can-i --list");

        Assert.True(single.ExitCode == 0, single.Error);
        Assert.Equal("yes", single.Output.Trim());
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Matches(@"\*\.\*\s+\[\]\s+\[\]\s+\[\*\]", list.Output);
    }

    [Fact]
    public async Task CreateToken_ThenAuthCanIWithIt_AnswersFromTheServiceAccountsBindings()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        foreach (var setup in (string[])[
            "create serviceaccount viewer -n default",
            "create clusterrole pod-reader --verb=get,list,watch --resource=pods",
            "create rolebinding viewer-pods -n default --clusterrole=pod-reader --serviceaccount=default:viewer"])
        {
            var result = await kubectl.RunAsync(setup);
            Assert.True(result.ExitCode == 0, $"kubectl {setup}: {result.Error}");
        }

        var token = await kubectl.RunAsync("create token viewer -n default --duration 15m");
        Assert.True(token.ExitCode == 0, token.Error);
        var asViewer = $"--token {token.Output.Trim()} ";
        var listHere = await kubectl.RunAsync(asViewer + "auth can-i list pods -n default");
        var listThere = await kubectl.RunAsync(asViewer + "auth can-i list pods -n kube-system");
        var deleteNodes = await kubectl.RunAsync(asViewer + "auth can-i delete nodes");
        var whoami = await kubectl.RunAsync(asViewer + "auth whoami -o jsonpath={.status.userInfo.username}");
        var getSecrets = await kubectl.RunAsync(asViewer + "get secrets -A");

        Assert.Equal("yes", listHere.Output.Trim());
        Assert.Equal("no", listThere.Output.Trim());
        Assert.Equal("no", deleteNodes.Output.Trim());
        Assert.Equal("system:serviceaccount:default:viewer", whoami.Output.Trim());
        Assert.NotEqual(0, getSecrets.ExitCode);
        Assert.Contains(
            "secrets is forbidden: User \"system:serviceaccount:default:viewer\" cannot list resource \"secrets\" in API group \"\" at the cluster scope",
            getSecrets.Error, StringComparison.Ordinal);
    }
}
