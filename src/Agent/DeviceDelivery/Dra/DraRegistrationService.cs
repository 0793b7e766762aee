using Grpc.Core;
using TensorFusion.KubeletApi.PluginRegistration.V1;
using KubeletRegistration = TensorFusion.KubeletApi.PluginRegistration.V1.Registration;

namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>The plugin-watcher side: tells the kubelet who we are and where the DRA service listens, and hears
/// whether the kubelet accepted us (a refusal is logged by the server with the kubelet's reason).</summary>
internal sealed class DraRegistrationService(DraPluginServer server) : KubeletRegistration.RegistrationBase
{
    public override Task<PluginInfo> GetInfo(InfoRequest request, ServerCallContext context) =>
        Task.FromResult(new PluginInfo
        {
            Type = DraDriver.PluginType,
            Name = DraDriver.Name,
            Endpoint = server.PluginSocket,
            SupportedVersions = { DraDriver.ServiceVersion },
        });

    public override Task<RegistrationStatusResponse> NotifyRegistrationStatus(RegistrationStatus request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        server.OnRegistrationStatus(request.PluginRegistered, request.Error);
        return Task.FromResult(new RegistrationStatusResponse());
    }
}
