using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Pipelines.Tests.Operating;

public sealed class OperatorOptionsTests
{
    [Fact]
    public void Validate_Defaults_Valid()
    {
        Assert.Null(new OperatorOptions().Validate());
    }

    [Fact]
    public void Validate_LeaseNotLongerThanRenewDeadline_NamesBothFlags()
    {
        var problem = new OperatorOptions { LeaseDuration = TimeSpan.FromSeconds(10), RenewDeadline = TimeSpan.FromSeconds(10) }.Validate();

        Assert.Contains("--leader-elect-lease-duration", problem, StringComparison.Ordinal);
        Assert.Contains("--leader-elect-renew-deadline", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RenewDeadlineWithinJitteredRetry_NamesRetryFlag()
    {
        // 1.2 × 2 s = 2.4 s ≥ 2 s.
        var problem = new OperatorOptions { RenewDeadline = TimeSpan.FromSeconds(2), RetryPeriod = TimeSpan.FromSeconds(2) }.Validate();

        Assert.Contains("--leader-elect-retry-period", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroGracefulShutdownTimeout_NamesTheFlag()
    {
        var problem = new OperatorOptions { GracefulShutdownTimeout = TimeSpan.Zero }.Validate();

        Assert.Contains("--graceful-shutdown-timeout", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GracefulShutdownTimeout_Default_BelowTheDeploymentsTerminationGracePeriod()
    {
        // deploy/base/operator/deployment.yaml: terminationGracePeriodSeconds 30; the drain must end (and the Lease be
        // released) before the kubelet's SIGKILL.
        Assert.True(new OperatorOptions().GracefulShutdownTimeout < TimeSpan.FromSeconds(30));
    }
}
