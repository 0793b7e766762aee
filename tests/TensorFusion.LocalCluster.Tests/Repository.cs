namespace TensorFusion.LocalCluster.Tests;

/// <summary>Finds the checkout the tests run from, for tests that read deploy/ (CRDs, examples).</summary>
public static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("TensorFusion.slnx not found above the test binaries");
    }
}
