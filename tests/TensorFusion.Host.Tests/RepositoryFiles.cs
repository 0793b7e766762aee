namespace TensorFusion.Host.Tests;

/// <summary>Paths of files checked into the repository (examples the docs point at), found from the test binary upwards.</summary>
internal static class RepositoryFiles
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root(), .. parts]);

    private static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "TensorFusion.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TensorFusion.slnx not found above " + AppContext.BaseDirectory);
    }
}
