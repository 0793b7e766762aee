using TensorFusion.Pipelines.Autoscaling.WhatIf;

namespace TensorFusion.Pipelines.Tests.Autoscaling.WhatIf;

public sealed class UsageCsvTests
{
    [Fact]
    public void Read_UnixSecondsAndRfc3339_GiveTheSameInstant()
    {
        // 1772445600 s after the Unix epoch is 2026-03-02T10:00:00Z.
        var csv = "timestamp,worker,tflops,vram_bytes\n1772445600,w-0,4,100\n2026-03-02T11:00:00+01:00,w-1,5,200\n";

        var result = UsageCsv.Read(new StringReader(csv), "u.csv");

        Assert.Empty(result.Errors);
        Assert.Equal(result.Samples[0].Time, result.Samples[1].Time);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), result.Samples[0].Time);
        Assert.Equal((3, "w-1", 5.0, 200.0), (result.Samples[1].Line, result.Samples[1].Worker, result.Samples[1].Tflops, result.Samples[1].VramBytes));
    }

    [Fact]
    public void Read_WrongHeader_IsReportedOnLineOne()
    {
        var result = UsageCsv.Read(new StringReader("time,worker,tflops,vram\n"), "u.csv");

        Assert.Equal("u.csv line 1: expected the header 'timestamp,worker,tflops,vram_bytes', got 'time,worker,tflops,vram'", Assert.Single(result.Errors));
    }

    [Fact]
    public void Read_TimeWithoutOffset_IsRejected()
    {
        var result = UsageCsv.Read(new StringReader("timestamp,worker,tflops,vram_bytes\n2026-03-02T10:00:00,w-0,4,100\n"), "u.csv");

        Assert.StartsWith("u.csv line 2: timestamp '2026-03-02T10:00:00' is neither RFC 3339 with an offset", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeVram_IsRejected()
    {
        var result = UsageCsv.Read(new StringReader("timestamp,worker,tflops,vram_bytes\n1772445600,w-0,4,-1\n"), "u.csv");

        Assert.Equal("u.csv line 2: vram_bytes '-1' is not a non-negative number", Assert.Single(result.Errors));
    }
}
