using Microsoft.Extensions.Time.Testing;
using TensorFusion.Estimators.External;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Autoscaling;

namespace TensorFusion.Pipelines.Tests.Autoscaling;

/// <summary>The loop's external scaler, partial in-place targets and failing status writes.</summary>
public sealed class AutoscalingLoopPortsTests
{
    private const double GiB = 1024d * 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkloadResources Spec = new(new ResourceAmount(100, 20 * GiB), new ResourceAmount(100, 20 * GiB));
    private static readonly WorkloadResources Asked = new(new ResourceAmount(120, 30 * GiB), new ResourceAmount(120, 30 * GiB));

    private static AutoscaleTarget Target(TargetResource inPlace = TargetResource.All) => new(
        "team", "llm", Spec, Current: null, QosLevel.Medium, PercentileOptions.Default with { InitialDelayPeriod = TimeSpan.Zero },
        [], null, Start.AddDays(-1), AutoSetResources: true, [], inPlace,
        new ExternalScalerTarget(new Uri("http://scaler/"), null, null, TimeSpan.Zero));

    private static AutoscalingLoop Loop(FakeAutoscalePorts ports, IExternalScaler scaler) =>
        new(ports, ports, ports, new FakeTimeProvider(Start), TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), externalScaler: scaler);

    [Fact]
    public async Task RunOnce_ExternalScalerAsksForMore_ResizesToItsAnswer()
    {
        var ports = new FakeAutoscalePorts();
        var decision = Assert.Single(await Loop(ports, new ScriptedScaler(Asked)).RunOnceAsync([Target()], CancellationToken.None));

        Assert.Equal((true, Asked), (decision.Apply, decision.Recommendation));
        // 120 TFLOPs = 120000 milli per GPU.
        Assert.Equal(120_000, Assert.Single(ports.Resizes).Request.MilliTflops);
    }

    [Fact]
    public async Task RunOnce_ComputeOnlyTarget_VramKeepsItsCurrentValue()
    {
        var ports = new FakeAutoscalePorts();
        var decision = Assert.Single(await Loop(ports, new ScriptedScaler(Asked)).RunOnceAsync([Target(TargetResource.Compute)], CancellationToken.None));

        // TFLOPs move to 120; VRAM stays at the spec's 20 GiB, in the resize and in the recorded recommendation.
        var (request, limit) = Assert.Single(ports.Resizes);
        Assert.Equal((120_000L, (long)(20 * GiB), (long)(20 * GiB)), (request.MilliTflops, request.VramBytes, limit.VramBytes));
        Assert.Equal(20 * GiB, decision.Recommendation.Requests.VramBytes);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task RunOnce_ExternalScalerFails_NothingChangesAndConditionSaysWhy()
    {
        var ports = new FakeAutoscalePorts();
        var decision = Assert.Single(await Loop(ports, new ScriptedScaler(null, "external scaler http://scaler/: HTTP 502")).RunOnceAsync([Target()], CancellationToken.None));

        Assert.Equal((false, false, AutoscalingLoop.ExternalScalerFailedReason, Spec), (decision.Apply, decision.ConditionTrue, decision.ConditionReason, decision.Recommendation));
        Assert.Contains("HTTP 502", decision.ConditionMessage, StringComparison.Ordinal);
        Assert.Empty(ports.Resizes);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task RunOnce_StatusWriteThrows_LoopCarriesOnAndCounts()
    {
        var ports = new FakeAutoscalePorts { WriteError = new HttpRequestException("connection refused") };
        var loop = Loop(ports, new ScriptedScaler(Asked));

        var decisions = await loop.RunOnceAsync([Target(), Target() with { Name = "other" }], CancellationToken.None);

        Assert.Equal(2, decisions.Count);
        Assert.Equal(2, loop.FailedStatusWrites);
        Assert.Contains("connection refused", loop.LastStatusWriteError, StringComparison.Ordinal);
    }

    private sealed class ScriptedScaler(WorkloadResources? resources, string? error = null) : IExternalScaler
    {
        public Task<ExternalScalerAnswer> AskAsync(AutoscaleTarget target, WorkloadResources current, CancellationToken cancellationToken) =>
            Task.FromResult(error is null
                ? new ExternalScalerAnswer(new ExternalScalerResponse(true, false, "busy", resources), null)
                : new ExternalScalerAnswer(null, error));
    }
}
