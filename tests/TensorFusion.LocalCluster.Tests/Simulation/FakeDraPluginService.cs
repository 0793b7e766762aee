using Grpc.Core;
using TensorFusion.KubeletApi.Dra.V1;

namespace TensorFusion.LocalCluster.Tests.Simulation;

/// <summary>The DRAPlugin side of <see cref="FakeDraPlugin"/>.</summary>
internal sealed class FakeDraPluginService(FakeDraPlugin plugin) : DRAPlugin.DRAPluginBase
{
    public override Task<NodePrepareResourcesResponse> NodePrepareResources(NodePrepareResourcesRequest request, ServerCallContext context)
    {
        var response = new NodePrepareResourcesResponse();
        foreach (var claim in request.Claims)
        {
            plugin.Prepared.Enqueue(claim);
            var answer = new NodePrepareResourceResponse { Error = plugin.PrepareError ?? string.Empty };
            if (plugin.PrepareError is null)
            {
                var device = new Device { PoolName = "sim-1", DeviceName = "gpu-0a1b" };
                device.RequestNames.Add("gpu");
                device.CdiDeviceIds.AddRange(plugin.CdiDevices);
                answer.Devices.Add(device);
            }

            response.Claims[claim.Uid] = answer;
        }

        return Task.FromResult(response);
    }

    public override Task<NodeUnprepareResourcesResponse> NodeUnprepareResources(NodeUnprepareResourcesRequest request, ServerCallContext context)
    {
        var response = new NodeUnprepareResourcesResponse();
        foreach (var claim in request.Claims)
        {
            plugin.Unprepared.Enqueue(claim);
            plugin.UnpreparedSignal.TrySetResult(claim);
            response.Claims[claim.Uid] = new NodeUnprepareResourceResponse();
        }

        return Task.FromResult(response);
    }
}
