using System.Text.RegularExpressions;

namespace TensorFusion.Agent.Attribution;

/// <summary>
/// Finds the pod a process belongs to from its <c>/proc/PID/cgroup</c> text. The kubelet puts every container of a
/// pod under a cgroup named after the pod's UID: <c>kubepods-burstable-pod1a2b_3c4d.slice</c> with the systemd
/// driver (dashes written as underscores) or <c>/kubepods/burstable/pod1a2b-3c4d/</c> with cgroupfs, on cgroup v1
/// and v2 alike. Unlike an environment variable, the workload cannot change its cgroup.
/// </summary>
public static partial class PodCgroup
{
    /// <summary>The pod UID (with dashes), or null when the process is not in a pod's cgroup.</summary>
    public static string? PodUid(string cgroupText)
    {
        ArgumentNullException.ThrowIfNull(cgroupText);
        var match = PodSegment().Match(cgroupText);
        return match.Success ? match.Groups["uid"].Value.Replace('_', '-').ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"[/-]pod(?<uid>[0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{12})(?:\.slice)?(?:/|$|\s)", RegexOptions.Multiline)]
    private static partial Regex PodSegment();
}
