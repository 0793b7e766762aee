namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>Renders base and both overlays once for every manifest test (each kubectl call costs about a second).</summary>
public sealed class KustomizationFixture : IAsyncLifetime
{
    internal RenderedManifests Base { get; private set; } = null!;

    internal RenderedManifests Production { get; private set; } = null!;

    internal RenderedManifests Dev { get; private set; } = null!;

    internal IEnumerable<RenderedManifests> All => [Base, Production, Dev];

    public async Task InitializeAsync()
    {
        Base = await RenderedManifests.RenderAsync(RepositoryLayout.Deploy("base"));
        Production = await RenderedManifests.RenderAsync(RepositoryLayout.Deploy("overlays", "production"));
        Dev = await RenderedManifests.RenderAsync(RepositoryLayout.Deploy("overlays", "dev"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
