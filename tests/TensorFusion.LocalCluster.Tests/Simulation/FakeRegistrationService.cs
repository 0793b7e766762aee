using Grpc.Core;
using TensorFusion.KubeletApi.PluginRegistration.V1;

namespace TensorFusion.LocalCluster.Tests.Simulation;

/// <summary>The registration side of <see cref="FakeDraPlugin"/>: a DRAPlugin for its driver, serving v1.DRAPlugin.</summary>
internal sealed class FakeRegistrationService(FakeDraPlugin plugin) : Registration.RegistrationBase
{
    public override Task<PluginInfo> GetInfo(InfoRequest request, ServerCallContext context)
    {
        var info = new PluginInfo { Type = "DRAPlugin", Name = FakeDraPlugin.Driver, Endpoint = plugin.PluginSocket };
        info.SupportedVersions.Add("v1.DRAPlugin");
        return Task.FromResult(info);
    }

    public override Task<RegistrationStatusResponse> NotifyRegistrationStatus(RegistrationStatus request, ServerCallContext context)
    {
        plugin.Registered.TrySetResult(request.PluginRegistered);
        return Task.FromResult(new RegistrationStatusResponse());
    }
}
