namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// Puts the limiter where worker containers get it from: <c>libtfshim.so</c> copied from the agent's image into the
/// host directory, and an <c>ld.so.preload</c> naming the library's path inside the container. Both are replaced
/// atomically (a container starting meanwhile mounts the old file or the new one, never half of one).
/// </summary>
public static class LimiterInstaller
{
    public static void Install(DeliveryPaths paths, string? librarySource)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory.CreateDirectory(paths.LimiterDirectory);
        if (librarySource is not null)
        {
            var temporary = paths.LimiterLibraryHostPath + ".tmp";
            File.Copy(librarySource, temporary, overwrite: true);
            File.Move(temporary, paths.LimiterLibraryHostPath, overwrite: true);
        }

        var preload = DeliveryPaths.ContainerLimiterLibrary + "\n";
        if (!File.Exists(paths.PreloadHostPath) || File.ReadAllText(paths.PreloadHostPath) != preload)
        {
            var temporary = paths.PreloadHostPath + ".tmp";
            File.WriteAllText(temporary, preload);
            File.Move(temporary, paths.PreloadHostPath, overwrite: true);
        }
    }
}
