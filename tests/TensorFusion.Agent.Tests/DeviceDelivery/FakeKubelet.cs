using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.KubeletApi.DevicePlugin.V1Beta1;
using KubeletRegistration = TensorFusion.KubeletApi.DevicePlugin.V1Beta1.Registration;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The kubelet's device-plugin registration socket: records every RegisterRequest. Starting it creates
/// kubelet.sock, stopping removes it (and, like a kubelet restart, can wipe the whole directory).</summary>
internal sealed class FakeKubelet : KubeletRegistration.RegistrationBase
{
    private WebApplication? _app;

    private FakeKubelet(string directory) => Socket = Path.Combine(directory, "kubelet.sock");

    public string Socket { get; }
    public Channel<RegisterRequest> Requests { get; } = Channel.CreateUnbounded<RegisterRequest>();

    public static async Task<FakeKubelet> StartAsync(string directory)
    {
        var kubelet = new FakeKubelet(directory);
        await kubelet.StartAsync();
        return kubelet;
    }

    public async Task StartAsync() =>
        _app = await UnixSocketGrpcHost.StartAsync([Socket], services => services.AddSingleton(this),
            app => app.MapGrpcService<FakeKubelet>(), CancellationToken.None);

    /// <summary>Stops serving; with <paramref name="wipeDirectory"/> every socket in the directory goes, as on a kubelet restart.</summary>
    public async Task StopAsync(bool wipeDirectory)
    {
        if (_app is not null)
        {
            await UnixSocketGrpcHost.StopAsync(_app, [Socket]);
            _app = null;
        }

        if (wipeDirectory)
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Socket)!))
            {
                File.Delete(file);
            }
        }
    }

    public async Task<IReadOnlyList<RegisterRequest>> ReadAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var requests = new List<RegisterRequest>();
        try
        {
            while (requests.Count < count)
            {
                requests.Add(await Requests.Reader.ReadAsync(cancel.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"awaited {count} device-plugin registrations, got {requests.Count} within {timeout.TotalSeconds} s");
        }

        return requests;
    }

    public override async Task<Empty> Register(RegisterRequest request, ServerCallContext context)
    {
        await Requests.Writer.WriteAsync(request);
        return new Empty();
    }
}
