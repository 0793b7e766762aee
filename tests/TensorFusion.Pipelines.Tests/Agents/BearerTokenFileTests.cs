using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

public sealed class BearerTokenFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tf-token-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Current_FileRotated_OldTokenUntilTheRefreshThenTheNewOne()
    {
        var time = new FakeTimeProvider();
        File.WriteAllText(_path, "first-token\n");
        var token = new BearerTokenFile(_path, time, TimeSpan.FromMinutes(1));
        Assert.Equal("first-token", token.Current());

        File.WriteAllText(_path, "second-token");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("first-token", token.Current());

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("second-token", token.Current());
    }

    [Fact]
    public void Current_FileRemovedAfterARead_KeepsTheLastToken()
    {
        var time = new FakeTimeProvider();
        File.WriteAllText(_path, "kept");
        var token = new BearerTokenFile(_path, time);
        Assert.Equal("kept", token.Current());

        File.Delete(_path);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("kept", token.Current());
    }

    [Fact]
    public void Current_NeverReadable_Null()
    {
        Assert.Null(new BearerTokenFile(_path, new FakeTimeProvider()).Current());
    }

    [Fact]
    public void Problem_MissingOrEmptyFile_SaysWhich()
    {
        Assert.Contains("cannot be read", BearerTokenFile.Problem(_path), StringComparison.Ordinal);
        File.WriteAllText(_path, "  \n");
        Assert.Contains("is empty", BearerTokenFile.Problem(_path), StringComparison.Ordinal);
        File.WriteAllText(_path, "secret");
        Assert.Null(BearerTokenFile.Problem(_path));
    }
}
