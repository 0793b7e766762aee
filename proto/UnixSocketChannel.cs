using System.Net.Sockets;
using Grpc.Net.Client;

namespace TensorFusion.KubeletApi;

/// <summary>A gRPC client channel over a Unix socket (HTTP/2 without TLS), as plugins and the kubelet talk: the kubelet
/// side dials plugin sockets with it (tests, the embedded control plane's simulated kubelet), a device plugin dials
/// kubelet.sock. Compiled, internal, into each side beside its stubs from these protos (see proto/README.md).</summary>
internal static class UnixSocketChannel
{
    public static GrpcChannel Create(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
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
            },
        });
}
