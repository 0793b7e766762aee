using k8s.Models;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Autoscaling.WhatIf;

namespace TensorFusion.Pipelines.Tests.Autoscaling.WhatIf;

public sealed class WhatIfRecommenderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Fallback = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AutoscaleTarget Target() => AutoscaleTargetMapper.Map(new TensorFusionWorkload
    {
        Metadata = new V1ObjectMeta { Name = "llm", NamespaceProperty = "team" },
        Spec = new WorkloadProfileSpec
        {
            Resources = new GpuResourceRequirements
            {
                Requests = new GpuResourceAmount { Tflops = new ResourceQuantity("10"), Vram = new ResourceQuantity("4Gi") },
                Limits = new GpuResourceAmount { Tflops = new ResourceQuantity("20"), Vram = new ResourceQuantity("8Gi") },
            },
        },
    }, TimeSpan.Zero);

    /// <summary>One row per minute given (w-0 at minutes 0, 20, …; w-1 at 10, 30, …), newest first: the replay sorts them.</summary>
    private static List<UsageCsvRow> Rows(params int[] minutes) =>
        [.. Enumerable.Reverse(minutes).Select((minute, line) => new UsageCsvRow(line + 2, Start.AddMinutes(minute), $"w-{minute / 10 % 2}", 4, 1e9))];

    [Fact]
    public void Run_NoNowNoCreationTime_EvaluatesAtTheLastSampleCountingFromTheFirst()
    {
        var outcome = WhatIfRecommender.Run(Target(), creationTime: null, Rows(0, 10, 20), now: null, Fallback);

        // Samples at 10:00, 10:10 and 10:20: evaluated at 10:20, created at 10:00, every row used, workers w-0 and w-1.
        Assert.Equal((Start.AddMinutes(20), Start), (outcome.Now, outcome.CreationTime));
        Assert.Equal((3, 0, 2), (outcome.SamplesUsed, outcome.SamplesAfterNow, outcome.Workers));
    }

    [Fact]
    public void Run_NowBeforeTheLastSamples_LeavesThemOutAndCountsThem()
    {
        // --now 10:15: the rows at 10:20 and 10:30 lie after it, so 2 of 4 rows are used, both from w-0 and w-1.
        var outcome = WhatIfRecommender.Run(Target(), creationTime: Start.AddHours(-1), Rows(0, 10, 20, 30), Start.AddMinutes(15), Fallback);

        Assert.Equal((Start.AddMinutes(15), Start.AddHours(-1)), (outcome.Now, outcome.CreationTime));
        Assert.Equal((2, 2, 2), (outcome.SamplesUsed, outcome.SamplesAfterNow, outcome.Workers));
    }

    [Fact]
    public void Run_NoSamplesNoTimes_EvaluatesAtTheFallbackWithNothingUsed()
    {
        var outcome = WhatIfRecommender.Run(Target(), creationTime: null, [], now: null, Fallback);

        Assert.Equal((Fallback, Fallback), (outcome.Now, outcome.CreationTime));
        Assert.Equal((0, 0, 0), (outcome.SamplesUsed, outcome.SamplesAfterNow, outcome.Workers));
    }
}
