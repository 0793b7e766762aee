using System.Globalization;
using System.Text;

namespace TensorFusion.Host.Tests.Cli;

/// <summary>
/// A temporary folder holding the docs/autoscaling.md worked example: a workload manifest and two hours of usage.
/// </summary>
internal sealed class RecommendFiles : IDisposable
{
    public const double GiB = 1024.0 * 1024 * 1024;

    public const string WorkedExampleWorkload = """
        apiVersion: tensor-fusion.ai/v1
        kind: TensorFusionWorkload
        metadata:
          name: llm-inference
          namespace: team-a
          creationTimestamp: "2026-03-02T10:00:00Z"
        spec:
          poolName: shared
          qos: medium
          resources:
            requests:
              tflops: "10"
              vram: 4Gi
            limits:
              tflops: "20"
              vram: 8Gi
          autoScalingConfig:
            autoSetResources:
              enable: true
              targetResource: all
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tf-recommend-" + Guid.NewGuid().ToString("N"));

    public RecommendFiles()
    {
        Directory.CreateDirectory(_folder);
    }

    public static DateTimeOffset Start { get; } = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>w-0: 4 TFLOPs for an hour, 6 for 50 minutes, 12 for 10; 3 GiB with 5 GiB at minute 100. w-1 from minute 60: 3 TFLOPs, 3 GiB.</summary>
    public static string WorkedExampleCsv()
    {
        var csv = new StringBuilder("timestamp,worker,tflops,vram_bytes\n");
        for (var minute = 0; minute < 120; minute++)
        {
            var time = Start.AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var tflops = minute < 60 ? 4 : minute < 110 ? 6 : 12;
            csv.Append(CultureInfo.InvariantCulture, $"{time},w-0,{tflops},{(minute == 100 ? 5 : 3) * GiB}\n");
            if (minute >= 60)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{time},w-1,3,{3 * GiB}\n");
            }
        }

        return csv.ToString();
    }

    public string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
