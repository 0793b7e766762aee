namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>
/// The CDI names the agent uses and the CDI naming rules (the container-device-interface parser's): a vendor or class
/// starts with a letter, ends with a letter or digit and holds letters, digits, <c>_ - .</c>; a device name starts and
/// ends with a letter or digit and may also hold <c>:</c>.
/// </summary>
public static class CdiNames
{
    public const string Vendor = "tensor-fusion.ai";
    public const string WorkerClass = "worker";

    /// <summary>The kind of every spec the agent writes: one device per worker.</summary>
    public const string WorkerKind = Vendor + "/" + WorkerClass;

    /// <summary>NVIDIA's kind, written on the node by the NVIDIA Container Toolkit (never by us).</summary>
    public const string NvidiaGpuKind = "nvidia.com/gpu";

    /// <summary><c>nvidia.com/gpu=GPU-…</c> or <c>nvidia.com/gpu=MIG-…</c>: NVIDIA's device by UUID.</summary>
    public static string NvidiaDevice(string uuid) => $"{NvidiaGpuKind}={uuid}";

    /// <summary>The worker's device name inside our spec: its limiter key <c>namespace_worker</c>.</summary>
    public static string WorkerDeviceName(string workerKey) => workerKey;

    /// <summary>The fully qualified name the kubelet hands the runtime: <c>tensor-fusion.ai/worker=namespace_worker</c>.</summary>
    public static string WorkerDevice(string workerKey) => $"{WorkerKind}={WorkerDeviceName(workerKey)}";

    /// <summary>The transient spec file of one worker: <c>tensor-fusion.ai-worker_namespace_worker.json</c>
    /// (the CDI library's transient naming: kind with '/' as '-', then '_' and an id).</summary>
    public static string SpecFileName(string workerKey) => $"{Vendor}-{WorkerClass}_{workerKey}.json";

    /// <summary>The worker key back from a spec file name, or null for a file that is not one of ours.</summary>
    public static string? WorkerKeyOfSpecFile(string fileName)
    {
        var prefix = $"{Vendor}-{WorkerClass}_";
        return fileName.StartsWith(prefix, StringComparison.Ordinal) && fileName.EndsWith(".json", StringComparison.Ordinal)
            ? fileName[prefix.Length..^".json".Length]
            : null;
    }

    /// <summary>Why <paramref name="kind"/> is not a valid <c>vendor/class</c>, or null when it is.</summary>
    public static string? KindProblem(string kind)
    {
        var slash = kind.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"kind '{kind}' is not vendor/class";
        }

        return VendorOrClassProblem("vendor", kind[..slash]) ?? VendorOrClassProblem("class", kind[(slash + 1)..]);
    }

    /// <summary>Why <paramref name="name"/> is not a valid CDI device name, or null when it is.</summary>
    public static string? DeviceNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "device name is empty";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return $"device name '{name}' must start and end with a letter or digit";
        }

        var bad = name.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.' or ':'));
        return bad == default ? null : $"device name '{name}' holds '{bad}' (allowed: letters, digits, _ - . :)";
    }

    private static string? VendorOrClassProblem(string what, string name)
    {
        if (name.Length == 0)
        {
            return $"{what} is empty";
        }

        if (!char.IsAsciiLetter(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return $"{what} '{name}' must start with a letter and end with a letter or digit";
        }

        var bad = name.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'));
        return bad == default ? null : $"{what} '{name}' holds '{bad}' (allowed: letters, digits, _ - .)";
    }
}
