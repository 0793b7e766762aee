namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>
/// The CDI spec rules the agent's specs must pass before a runtime reads them: a known <c>cdiVersion</c> no lower
/// than the fields need, valid kind and device names, unique devices, absolute paths, <c>KEY=VALUE</c> environment.
/// A runtime refuses a spec whose version is newer than it knows, so the writer picks <see cref="MinimumVersion"/>.
/// </summary>
public static class CdiSpecRules
{
    /// <summary>Released versions, oldest first (CDI specs-go/version.go); 0.3.0 is the oldest runtimes still load.</summary>
    public static readonly IReadOnlyList<string> KnownVersions =
        ["0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0", "0.8.0", "1.0.0", "1.1.0"];

    /// <summary>The lowest version that allows every field of <paramref name="spec"/>. Our specs use env and mounts
    /// without a type (0.3.0); a device name starting with a digit needs 0.5.0; a dot in the class 0.6.0.</summary>
    public static string MinimumVersion(CdiSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var slash = spec.Kind.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && spec.Kind[(slash + 1)..].Contains('.', StringComparison.Ordinal))
        {
            return "0.6.0";
        }

        return spec.Devices.Any(device => device.Name.Length > 0 && char.IsAsciiDigit(device.Name[0])) ? "0.5.0" : "0.3.0";
    }

    /// <summary>Every rule <paramref name="spec"/> breaks, each naming the field; empty when the spec is valid.</summary>
    public static IReadOnlyList<string> Problems(CdiSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        var version = KnownVersions.ToList().IndexOf(spec.CdiVersion);
        if (version < 0)
        {
            problems.Add($"cdiVersion: '{spec.CdiVersion}' is not a released CDI version");
        }
        else if (version < KnownVersions.ToList().IndexOf(MinimumVersion(spec)))
        {
            problems.Add($"cdiVersion: '{spec.CdiVersion}' is too low; the fields need {MinimumVersion(spec)}");
        }

        if (CdiNames.KindProblem(spec.Kind) is { } kind)
        {
            problems.Add($"kind: {kind}");
        }

        if (spec.Devices.Count == 0)
        {
            problems.Add("devices: a spec needs at least one device");
        }

        foreach (var duplicate in spec.Devices.GroupBy(device => device.Name, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            problems.Add($"devices: '{duplicate.Key}' appears {duplicate.Count()} times");
        }

        for (var i = 0; i < spec.Devices.Count; i++)
        {
            var device = spec.Devices[i];
            if (CdiNames.DeviceNameProblem(device.Name) is { } name)
            {
                problems.Add($"devices[{i}].name: {name}");
            }

            problems.AddRange(EditProblems($"devices[{i}].containerEdits", device.ContainerEdits));
        }

        return problems;
    }

    private static IEnumerable<string> EditProblems(string path, CdiContainerEdits edits)
    {
        for (var i = 0; i < edits.Env.Count; i++)
        {
            if (edits.Env[i].IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                yield return $"{path}.env[{i}]: '{edits.Env[i]}' is not KEY=VALUE";
            }
        }

        for (var i = 0; i < edits.Mounts.Count; i++)
        {
            var mount = edits.Mounts[i];
            if (!mount.HostPath.StartsWith('/'))
            {
                yield return $"{path}.mounts[{i}].hostPath: '{mount.HostPath}' is not absolute";
            }

            if (!mount.ContainerPath.StartsWith('/'))
            {
                yield return $"{path}.mounts[{i}].containerPath: '{mount.ContainerPath}' is not absolute";
            }
        }
    }
}
