namespace TensorFusion.LocalCluster.Tests.Kubectl;

[Trait("Category", "Integration")]
public sealed class KubectlAuthTests
{
    [Fact]
    public async Task AuthCanI_AnyVerb_AnswersYesAndListsEverything()
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
}
