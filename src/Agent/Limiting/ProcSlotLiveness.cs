using System.Globalization;

namespace TensorFusion.Agent.Limiting;

/// <summary>
/// Judges whether a region slot's owner still runs, from the host's /proc (the agent sees every pid of the node).
/// A slot names its owner by (pid in its own namespace, that namespace's inode, start time); the owner is alive
/// when some process has all three. A process whose namespace cannot be read makes every unmatched slot of another
/// namespace "alive": the agent never frees memory of a process it could not rule out (memory fails closed).
/// </summary>
public sealed class ProcSlotLiveness(string procRoot)
{
    /// <summary>True unless the owner is provably gone (no such pid, or a reused pid with another start time).</summary>
    public bool IsAlive(RegionSlot slot)
    {
        var own = NamespaceOf("self");
        if (own is { } inode && inode == slot.PidNamespace)
        {
            // Same pid namespace as the agent (tests, a host-pid agent): look the pid up directly.
            return StartTimeOf(slot.Pid.ToString(CultureInfo.InvariantCulture)) is { } start && (slot.StartTime == 0 || start == slot.StartTime);
        }

        var unreadable = false;
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            var name = Path.GetFileName(directory);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            var ns = NamespaceOf(name);
            if (ns is null)
            {
                unreadable |= Directory.Exists(directory);
                continue;
            }

            if (ns == slot.PidNamespace && InnermostPid(name) == slot.Pid
                && (slot.StartTime == 0 || StartTimeOf(name) == slot.StartTime))
            {
                return true;
            }
        }

        return unreadable;
    }

    private uint? NamespaceOf(string pid)
    {
        try
        {
            // "pid:[4026531836]"
            var target = new FileInfo(Path.Combine(procRoot, pid, "ns", "pid")).LinkTarget;
            var open = target?.IndexOf('[', StringComparison.Ordinal) ?? -1;
            return open >= 0 && uint.TryParse(target.AsSpan(open + 1, target!.Length - open - 2), CultureInfo.InvariantCulture, out var inode)
                ? inode : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private int? InnermostPid(string pid)
    {
        foreach (var line in ReadLines(Path.Combine(procRoot, pid, "status")))
        {
            if (line.StartsWith("NSpid:", StringComparison.Ordinal))
            {
                var last = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[^1];
                return int.TryParse(last, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }

    /// <summary>Field 22 of /proc/PID/stat (after the parenthesised command name, which may contain spaces).</summary>
    private ulong? StartTimeOf(string pid)
    {
        var text = string.Join('\n', ReadLines(Path.Combine(procRoot, pid, "stat")));
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        return fields.Length > 19 && ulong.TryParse(fields[19], CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
