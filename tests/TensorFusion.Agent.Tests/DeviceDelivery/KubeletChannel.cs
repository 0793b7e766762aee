using Grpc.Net.Client;
using TensorFusion.KubeletApi;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The kubelet's side of a plugin socket, and short socket directories for tests.</summary>
internal static class KubeletChannel
{
    public static GrpcChannel ForSocket(string path) => UnixSocketChannel.Create(path);

    /// <summary>A short directory for sockets (sun_path is 108 bytes; the test temp dir can be long).</summary>
    public static string ShortSocketDirectory() =>
        Directory.CreateDirectory($"/tmp/tf-{Guid.NewGuid().ToString("N")[..10]}").FullName;
}
