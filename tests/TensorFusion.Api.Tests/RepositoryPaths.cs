namespace TensorFusion.Api.Tests;

/// <summary>Locates the repository root (the folder holding TensorFusion.slnx) from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "deploy", "examples");

    public static string Crds => Path.Combine(Root, "deploy", "crds");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no TensorFusion.slnx above {AppContext.BaseDirectory}");
    }
}
