using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Queue;

namespace TensorFusion.Pipelines.Tests.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void ItemExponential_ConsecutiveFailures_DoubleFromBase()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        // 5 ms · 2⁰, 2¹, 2², 2³ = 5, 10, 20, 40 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(40), limiter.NextDelay("a"));
        Assert.Equal(4, limiter.Failures("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("b"));
    }

    [Fact]
    public void ItemExponential_ManyFailures_CapAtMaximum()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        // n = 17: 5 ms · 131072 = 655.36 s (under the cap); n = 18: 1310.72 s → capped to 1000 s; n = 200 stays capped.
        var delays = Enumerable.Range(0, 200).Select(_ => limiter.NextDelay("a")).ToList();

        Assert.Equal(655.36, delays[17].TotalSeconds, 6);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[18]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[199]);
    }

    [Fact]
    public void ItemExponential_Forget_StartsAgainFromBase()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.NextDelay("a");
        limiter.NextDelay("a");

        limiter.Forget("a");

        Assert.Equal(0, limiter.Failures("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
    }

    [Fact]
    public void Overall_BurstSpent_WaitsForRefill()
    {
        var time = new FakeTimeProvider();
        var limiter = new OverallRateLimiter<string>(10, 100, time);

        var first100 = Enumerable.Range(0, 100).Select(i => limiter.NextDelay($"k{i}")).ToList();
        var next = limiter.NextDelay("k100");
        var tenthAfter = Enumerable.Range(0, 9).Select(i => limiter.NextDelay($"x{i}")).ToList()[^1];

        // Burst 100 is free; the 101st owes one token at 10/s = 0.1 s; the 110th owes ten = 1 s.
        Assert.All(first100, delay => Assert.Equal(TimeSpan.Zero, delay));
        Assert.Equal(0.1, next.TotalSeconds, 9);
        Assert.Equal(1.0, tenthAfter.TotalSeconds, 9);
    }

    [Fact]
    public void Overall_TimePasses_TokensRefillUpToBurst()
    {
        var time = new FakeTimeProvider();
        var limiter = new OverallRateLimiter<string>(10, 100, time);
        for (var i = 0; i < 100; i++)
        {
            limiter.NextDelay("a");
        }

        // 0.5 s at 10/s refills 5 tokens: five free retries, the sixth waits 0.1 s.
        time.Advance(TimeSpan.FromSeconds(0.5));
        var delays = Enumerable.Range(0, 6).Select(_ => limiter.NextDelay("a")).ToList();

        Assert.All(delays.Take(5), delay => Assert.Equal(TimeSpan.Zero, delay));
        Assert.Equal(0.1, delays[5].TotalSeconds, 9);
    }

    [Fact]
    public void ControllerDefault_FirstFailures_FollowPerItemBackoffUnderBurst()
    {
        var limiter = ControllerRateLimiter.Create<string>(new FakeTimeProvider());

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("a"));
        Assert.Equal(2, limiter.Failures("a"));
    }

    [Fact]
    public void ItemExponential_MaxBelowBase_IsRejectedWithParameterName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ItemExponentialRateLimiter<string>(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));

        Assert.Equal("maxDelay", error.ParamName);
    }
}
