namespace TensorFusion.LocalCluster.Tests.Authorization;

/// <summary>One server holding deploy/base's identities, shared by the rows of the role table.</summary>
public sealed class ShippedRbacCluster : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await ShippedRbac.ApplyAsync(_cluster.Server);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
