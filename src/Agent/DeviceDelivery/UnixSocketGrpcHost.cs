using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// A gRPC server on Unix sockets, as the kubelet speaks to plugins: HTTP/2 without TLS (the socket's file mode is
/// the access control). Stale socket files from a previous run are removed before binding and on stop.
/// </summary>
public static class UnixSocketGrpcHost
{
    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>Why <paramref name="path"/> cannot be a Unix socket path, or null when it can.</summary>
    public static string? SocketPathProblem(string path) =>
        Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes
            ? $"socket path '{path}' is {Encoding.UTF8.GetByteCount(path)} bytes; Unix sockets allow {MaxSocketPathBytes}"
            : null;

    /// <summary>Builds and starts the server; <paramref name="map"/> maps its services, <paramref name="listen"/> (if given)
    /// configures the listener of socket i (connection middleware that tells calls which socket they came on).</summary>
    /// <exception cref="ArgumentException">A socket path is too long (the message names it).</exception>
    public static async Task<WebApplication> StartAsync(
        IReadOnlyList<string> sockets,
        Action<IServiceCollection> services,
        Action<WebApplication> map,
        CancellationToken cancellationToken,
        Action<int, ListenOptions>? listen = null)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(map);
        foreach (var socket in sockets)
        {
            if (SocketPathProblem(socket) is { } problem)
            {
                throw new ArgumentException(problem, nameof(sockets));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
            File.Delete(socket); // a socket file left by a killed agent would make bind fail with EADDRINUSE
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(UnixSocketGrpcHost).Assembly.GetName().Name });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            for (var i = 0; i < sockets.Count; i++)
            {
                var index = i;
                kestrel.ListenUnixSocket(sockets[i], options =>
                {
                    options.Protocols = HttpProtocols.Http2;
                    listen?.Invoke(index, options);
                });
            }
        });
        builder.Services.AddGrpc();
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Stops the server and removes its socket files.</summary>
    public static async Task StopAsync(WebApplication app, IEnumerable<string> sockets)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(sockets);
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        foreach (var socket in sockets)
        {
            File.Delete(socket);
        }
    }
}
