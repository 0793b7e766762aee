using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Tests.MetricsSources;

public sealed class PrometheusTextParserTests
{
    private const string Scrape = """
        # HELP tensorfusion_worker_tflops_used TFLOPs the worker's processes use now
        # TYPE tensorfusion_worker_tflops_used gauge
        tensorfusion_worker_tflops_used{node="n0",namespace="team",workload="llm",worker="llm-0"} 12.5
        tensorfusion_worker_tflops_used{node="n0",namespace="team",workload="llm",worker="llm-1"} NaN
        tensorfusion_worker_vram_used_bytes{node="n0",namespace="team",workload="llm",worker="llm-0"} 1.073741824e+09 1700000000000
        tensorfusion_worker_vram_used_bytes{node="n0",namespace="team",workload="llm",worker="llm-1"} 2048
        tensorfusion_gpu_healthy{node="n0",gpu="a \"quoted\" \\ name",model="H100",pool="p"} 1
        """;

    [Fact]
    public void Parse_AgentScrape_LabelsValuesAndEscapes()
    {
        var errors = new List<string>();

        var samples = PrometheusTextParser.Parse(Scrape, errors);

        Assert.Empty(errors);
        Assert.Equal(5, samples.Count);
        Assert.Equal(12.5, samples[0].Value);
        Assert.True(double.IsNaN(samples[1].Value));
        Assert.Equal(1_073_741_824d, samples[2].Value);
        Assert.Equal("a \"quoted\" \\ name", samples[4].Labels["gpu"]);
    }

    [Fact]
    public void Parse_MalformedLine_ErrorNamesLineOthersKept()
    {
        var errors = new List<string>();

        var samples = PrometheusTextParser.Parse("good 1\nbad{x=\"1\" \n{}\nalso_good 2", errors);

        Assert.Equal(["good", "also_good"], samples.Select(sample => sample.Name));
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("line 2:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("line 3:", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FromScrape_NanTflops_UnknownNotZero()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var usage = WorkerUsageReader.FromScrape(PrometheusTextParser.Parse(Scrape, []), time).OrderBy(u => u.Worker).ToArray();

        Assert.Equal(2, usage.Length);
        Assert.Equal((12.5, 1_073_741_824d), (usage[0].Tflops, usage[0].VramBytes));
        Assert.Equal((null, 2048d), (usage[1].Tflops, usage[1].VramBytes));
        Assert.Equal("team/llm", usage[1].WorkloadKey);
    }
}
