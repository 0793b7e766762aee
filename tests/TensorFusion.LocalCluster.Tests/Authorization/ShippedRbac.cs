using System.Diagnostics;
using TensorFusion.LocalCluster.Authorization;

namespace TensorFusion.LocalCluster.Tests.Authorization;

/// <summary>The identities of deploy/base as `kubectl kustomize` renders them, applied to a test server.</summary>
public static class ShippedRbac
{
    public const string Namespace = "tensor-fusion-system";
    public const string Operator = "system:serviceaccount:tensor-fusion-system:tensorfusion-operator";
    public const string Agent = "system:serviceaccount:tensor-fusion-system:tensorfusion-agent";

    public static async Task<string> RenderAsync()
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(Path.Combine(RepositoryRoot(), "deploy", "base"));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize deploy/base failed: {await error}");
        return await output;
    }

    public static async Task<int> ApplyAsync(LocalApiServer server, string? rendered = null) =>
        await IdentityManifests.ApplyAsync(server.Operations, server.Registry, rendered ?? await RenderAsync(), Namespace);

    private static string RepositoryRoot()
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
