using System.Globalization;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Simulation;

namespace TensorFusion.Host.Cli;

/// <summary>The human summary of a what-if run: totals, packing ratio and the most common reasons for misses.</summary>
public static class SimulationTableWriter
{
    public static void Write(SimulationReport report, IReadOnlyList<PoolSpec> pools, TextWriter output)
    {
        var summary = report.Summary;
        var culture = CultureInfo.InvariantCulture;
        var ratio = summary.LowerBoundGpus > 0 ? (summary.GpusUsed / (double)summary.LowerBoundGpus).ToString("0.000", culture) : "-";
        output.WriteLine($"Workers        {summary.Requests} on {report.Gpus.Select(gpu => gpu.Node).Distinct().Count()} nodes / {report.Gpus.Count} GPUs");
        output.WriteLine($"Strategy       {string.Join(", ", pools.Select(pool => $"{pool.Name}={pool.Strategy}"))}");
        output.WriteLine($"Placed         {summary.Placed}");
        output.WriteLine($"Unschedulable  {summary.Unschedulable}");
        output.WriteLine($"Preemptions    {summary.Preemptions}");
        output.WriteLine($"GPUs used      {summary.GpusUsed} (lower bound {summary.LowerBoundGpus} by {summary.LowerBoundMethod}, volume bound {summary.VolumeBoundGpus}, ratio {ratio})");
        output.WriteLine($"Elapsed        {summary.ElapsedMs.ToString("0.0", culture)} ms ({summary.DecisionsPerSecond.ToString("0", culture)} decisions/s)");

        var byModel = report.Gpus.GroupBy(gpu => gpu.Model, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal);
        output.WriteLine();
        output.WriteLine($"{"MODEL",-12} {"GPUS",6} {"USED",6} {"TFLOPS ALLOCATED",18} {"VRAM ALLOCATED",16}");
        foreach (var model in byModel)
        {
            var used = model.Count(gpu => gpu.Allocated.Vram > 0 || gpu.Allocated.Tflops > 0);
            var tflops = model.Sum(gpu => gpu.Allocated.Tflops) / Math.Max(1, model.Sum(gpu => gpu.Capacity.Tflops)) * 100;
            var vram = model.Sum(gpu => (double)gpu.Allocated.Vram) / Math.Max(1, model.Sum(gpu => (double)gpu.Capacity.Vram)) * 100;
            output.WriteLine($"{model.Key,-12} {model.Count(),6} {used,6} {tflops.ToString("0.0", culture) + " %",18} {vram.ToString("0.0", culture) + " %",16}");
        }

        if (report.Unschedulable.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Top reasons for misses:");
        foreach (var reason in report.Unschedulable.GroupBy(row => row.Reason, StringComparer.Ordinal)
                     .OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal).Take(5))
        {
            output.WriteLine($"  {reason.Count(),6}  {reason.Key}");
        }
    }
}
