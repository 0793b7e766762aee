using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// `json`: typed decode throughput of 10k TensorFusionWorkload objects (~1.7 KB each, spec + autoscaling + status)
/// with <see cref="TensorFusionJson.Options"/>, the way informers decode watch events. The best of three timed passes
/// after a warm-up pass; also reports ManifestReader (YAML path, with validation) for the same objects.
/// </summary>
public sealed class JsonDecodeScenario : IScenario
{
    private const int ObjectCount = 10_000;
    private const int Passes = 3;

    public string Name => "json";

    public string Description => "typed decode of 10k TensorFusionWorkload objects (objectsPerSecond)";

    public Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var documents = Enumerable.Range(0, ObjectCount).Select(index => Encoding.UTF8.GetBytes(WorkloadJson(index))).ToArray();
        DecodeAll(documents);

        var best = TimeSpan.MaxValue;
        for (var pass = 0; pass < Passes; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stopwatch = Stopwatch.StartNew();
            DecodeAll(documents);
            best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
        }

        var stream = string.Join("\n---\n", documents.Take(ObjectCount / 10).Select(Encoding.UTF8.GetString));
        ManifestReader.Read(stream);
        var manifestWatch = Stopwatch.StartNew();
        var read = ManifestReader.Read(stream);
        var manifestElapsed = manifestWatch.Elapsed;
        if (!read.Succeeded || read.Objects.Count != ObjectCount / 10)
        {
            throw new InvalidOperationException("manifest reader rejected generated workloads: " + string.Join("; ", read.Errors.Take(3)));
        }

        IReadOnlyDictionary<string, double> figures = new Dictionary<string, double>
        {
            ["objects"] = ObjectCount,
            ["bytesPerObject"] = documents.Average(document => document.Length),
            ["elapsedMs"] = best.TotalMilliseconds,
            ["objectsPerSecond"] = ObjectCount / best.TotalSeconds,
            ["manifestReaderObjectsPerSecond"] = read.Objects.Count / manifestElapsed.TotalSeconds,
        };
        return Task.FromResult(figures);
    }

    private static void DecodeAll(byte[][] documents)
    {
        foreach (var document in documents)
        {
            var workload = JsonSerializer.Deserialize<TensorFusionWorkload>(document, TensorFusionJson.Options);
            if (workload?.Spec.Resources is null)
            {
                throw new InvalidOperationException("decoded workload lost its resources");
            }
        }
    }

    private const string Template = """
            {"apiVersion":"tensor-fusion.ai/v1","kind":"TensorFusionWorkload",
             "metadata":{"name":"workload-@I","namespace":"team-@TEAM","uid":"00000000-0000-0000-0000-@UID","resourceVersion":"@RV","generation":3,
               "creationTimestamp":"2026-01-01T00:00:00Z","labels":{"tensor-fusion.ai/gpupool":"shared","app":"svc-@I"},
               "annotations":{"tensor-fusion.ai/workload-mode":"fixed"}},
             "spec":{"replicas":@REPLICAS,"poolName":"shared","gpuModel":"A100","gpuCount":1,"qos":"high","isLocalGPU":false,"isolation":"soft",
               "resources":{"requests":{"tflops":"@TFLOPS","vram":"8Gi"},"limits":{"tflops":"@TFLOPS0","vram":"16Gi"}},
               "autoScalingConfig":{"autoSetResources":{"enable":true,"targetResource":"all","targetComputePercentile":"0.95","marginFraction":"0.15","updateThreshold":"0.1","historyDataPeriod":"2h"},
                 "cronScalingRules":[{"name":"day","enable":true,"start":"0 8 * * 1-5","end":"0 20 * * 1-5","desiredResources":{"requests":{"tflops":"40","vram":"16Gi"},"limits":{"tflops":"80","vram":"24Gi"}}}]},
               "nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"topology.kubernetes.io/zone","operator":"In","values":["a","b"]}]}]}}},
             "status":{"phase":"Running","workerCount":2,"readyWorkers":2,"podTemplateHash":"6f9c8d7b5","observedGeneration":3,
               "recommendation":{"requests":{"tflops":"@TFLOPS","vram":"8Gi"},"limits":{"tflops":"@TFLOPS0","vram":"16Gi"}},"appliedRecommendedReplicas":2,
               "conditions":[{"type":"Ready","status":"True","reason":"WorkloadReady","message":"All workers are ready","lastTransitionTime":"2026-01-01T00:05:00Z"}]}}
            """;

    private static string WorkloadJson(int index) =>
        Template
            .Replace("@UID", index.ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@TEAM", (index % 50).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@RV", (1000 + index).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@REPLICAS", (1 + (index % 8)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@TFLOPS", (10 + (index % 90)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@I", index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
