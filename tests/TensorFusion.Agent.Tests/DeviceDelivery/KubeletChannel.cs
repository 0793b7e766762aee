using System.Net.Sockets;
using Grpc.Net.Client;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The kubelet's side of a plugin socket: a gRPC channel over a Unix socket (HTTP/2 without TLS).</summary>
internal static class KubeletChannel
{
    public static GrpcChannel ForSocket(string path) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
        });

    /// <summary>A short directory for sockets (sun_path is 108 bytes; the test temp dir can be long).</summary>
    public static string ShortSocketDirectory() =>
        Directory.CreateDirectory($"/tmp/tf-{Guid.NewGuid().ToString("N")[..10]}").FullName;
}
