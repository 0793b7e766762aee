using System.Net.Sockets;
using Grpc.Net.Client;

namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>A gRPC channel to a kubelet plugin's Unix socket (HTTP/2 without TLS, as the kubelet dials it).</summary>
public static class UnixSocketChannel
{
    public static GrpcChannel Open(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
