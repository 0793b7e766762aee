using Grpc.Core;
using TensorFusion.KubeletApi.Dra.V1;

namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>
/// The kubelet's DRAPlugin calls. Each claim is answered on its own: one failing claim (worker not planned yet, MIG
/// instance pending) carries its error and the kubelet retries it, the others are prepared. Prepare answers one
/// device per GPU of the worker with NVIDIA's CDI name of that GPU (or MIG instance); the first also carries the
/// worker's own CDI device (limiter, region, env).
/// </summary>
internal sealed class DraPluginService(WorkerDelivery delivery, DraPluginServer server) : DRAPlugin.DRAPluginBase
{
    public override async Task<NodePrepareResourcesResponse> NodePrepareResources(NodePrepareResourcesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var response = new NodePrepareResourcesResponse();
        foreach (var claim in request.Claims)
        {
            try
            {
                var (edits, owner) = await delivery.PrepareClaimAsync(claim.Namespace, claim.Name, claim.Uid, context.CancellationToken);
                response.Claims[claim.Uid] = Answer(edits, owner);
            }
            catch (DeliveryException e)
            {
                server.OnClaimFailed(claim.Namespace, claim.Name, e.Message);
                response.Claims[claim.Uid] = new NodePrepareResourceResponse { Error = e.Message };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or k8s.Autorest.HttpOperationException)
            {
                var message = $"claim {claim.Namespace}/{claim.Name}: {e.Message}";
                server.OnClaimFailed(claim.Namespace, claim.Name, message);
                response.Claims[claim.Uid] = new NodePrepareResourceResponse { Error = message };
            }
        }

        return response;
    }

    public override Task<NodeUnprepareResourcesResponse> NodeUnprepareResources(NodeUnprepareResourcesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new NodeUnprepareResourcesResponse();
        foreach (var claim in request.Claims)
        {
            try
            {
                delivery.UnprepareClaim(claim.Uid);
                response.Claims[claim.Uid] = new NodeUnprepareResourceResponse();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                response.Claims[claim.Uid] = new NodeUnprepareResourceResponse { Error = $"claim {claim.Namespace}/{claim.Name}: {e.Message}" };
            }
        }

        return Task.FromResult(response);
    }

    private NodePrepareResourceResponse Answer(WorkerEdits edits, ClaimOwner owner)
    {
        var answer = new NodePrepareResourceResponse();
        for (var i = 0; i < edits.Gpus.Count; i++)
        {
            var gpu = edits.Gpus[i];
            var device = new Device { PoolName = server.NodeName, DeviceName = DraDriver.DeviceName(gpu.GpuUuid) };
            device.RequestNames.Add(owner.RequestNames);
            device.CdiDeviceIds.Add(gpu.CdiName);
            if (i == 0)
            {
                device.CdiDeviceIds.Add(Cdi.CdiNames.WorkerDevice(edits.WorkerKey));
            }

            answer.Devices.Add(device);
        }

        return answer;
    }
}
