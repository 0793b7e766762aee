namespace TensorFusion.Agent.Checkpoint;

/// <summary>Reads the kernel's boot id; it changes on every boot.</summary>
public static class BootId
{
    public const string DefaultPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>The trimmed content of <paramref name="path"/>, or "unknown" where the file does not exist
    /// (non-Linux development machines), which makes every start look like the same boot.</summary>
    public static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";
}
