using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Attribution;

/// <summary>
/// Names the worker of each GPU process the driver reports (NVML knows only host PIDs): PID → its cgroup under the
/// host's /proc (mounted read-only into the agent) → pod UID → worker key. A process that exited meanwhile, runs
/// outside any pod, or belongs to a pod the directory does not know stays unattributed (empty worker id), so its
/// usage is never charged to the wrong worker.
/// </summary>
public sealed class ProcessAttributor(string procRoot, IWorkerDirectory workers)
{
    public IReadOnlyList<ProcessUsage> Attribute(IReadOnlyList<ProcessUsage> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var result = new List<ProcessUsage>(processes.Count);
        foreach (var process in processes)
        {
            result.Add(process.WorkerId.Length > 0 ? process : process with { WorkerId = WorkerOf(process.Pid) ?? "" });
        }

        return result;
    }

    private string? WorkerOf(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "cgroup"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return PodCgroup.PodUid(text) is { } uid ? workers.WorkerKeyOf(uid) : null;
    }
}
