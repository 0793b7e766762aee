using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TensorFusion.KubeletApi.Dra.V1;

namespace TensorFusion.LocalCluster.Tests.Simulation;

/// <summary>
/// A DRA kubelet plugin for driver <see cref="Driver"/> as a node agent serves it: a registration socket in
/// <see cref="RegistryDirectory"/> pointing at a DRAPlugin socket, answering prepare with <see cref="CdiDevices"/> and
/// recording every claim it was asked to prepare and unprepare.
/// </summary>
internal sealed class FakeDraPlugin : IAsyncDisposable
{
    public const string Driver = "gpu.tensor-fusion.ai";

    private WebApplication _app = null!;

    private FakeDraPlugin(string root)
    {
        Root = root;
        RegistryDirectory = Path.Combine(root, "reg");
        CdiDirectory = Path.Combine(root, "cdi");
        PluginSocket = Path.Combine(root, "plugin", "dra.sock");
    }

    public string Root { get; }

    public string RegistryDirectory { get; }

    public string CdiDirectory { get; }

    public string PluginSocket { get; }

    public string RegistrationSocket => Path.Combine(RegistryDirectory, Driver + "-reg.sock");

    /// <summary>The CDI names prepare answers with (one device per claim).</summary>
    public IReadOnlyList<string> CdiDevices { get; set; } = [];

    /// <summary>When set, prepare answers this error for every claim.</summary>
    public string? PrepareError { get; set; }

    public ConcurrentQueue<Claim> Prepared { get; } = new();

    public ConcurrentQueue<Claim> Unprepared { get; } = new();

    public TaskCompletionSource<bool> Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<Claim> UnpreparedSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeDraPlugin> StartAsync()
    {
        // Short root: a Unix socket path must fit in 107 bytes.
        var plugin = new FakeDraPlugin(Path.Combine(Path.GetTempPath(), "tfdra-" + Guid.NewGuid().ToString("N")[..8]));
        foreach (var directory in new[] { plugin.RegistryDirectory, plugin.CdiDirectory, Path.GetDirectoryName(plugin.PluginSocket)! })
        {
            Directory.CreateDirectory(directory);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(plugin.RegistrationSocket, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.ListenUnixSocket(plugin.PluginSocket, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(plugin);
        plugin._app = builder.Build();
        plugin._app.MapGrpcService<FakeDraPluginService>();
        plugin._app.MapGrpcService<FakeRegistrationService>();
        await plugin._app.StartAsync();
        return plugin;
    }

    /// <summary>Writes a CDI spec file into the plugin's CDI directory.</summary>
    public void WriteSpec(string fileName, string json) => File.WriteAllText(Path.Combine(CdiDirectory, fileName), json);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
