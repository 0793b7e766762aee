using TensorFusion.Estimators.Options;

namespace TensorFusion.Estimators.Tests.Options;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30m", 30 * 60.0)]
    [InlineData("2h", 7200.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("90s", 90.0)]
    [InlineData("1500ms", 1.5)]
    [InlineData("0", 0.0)]
    public void TryParse_GoSyntax_GivesTheDuration(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("2d")]
    [InlineData("h")]
    [InlineData("1h 30m")]
    public void TryParse_NotGoSyntax_Fails(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Fact]
    public void Format_HoursAndMinutes_ReadsLikeGo()
    {
        Assert.Equal("1h30m", GoDuration.Format(TimeSpan.FromMinutes(90)));
        Assert.Equal("30m", GoDuration.Format(TimeSpan.FromMinutes(30)));
    }
}
