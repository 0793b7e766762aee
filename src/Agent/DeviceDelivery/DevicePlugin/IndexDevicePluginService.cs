using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;
using TensorFusion.KubeletApi.DevicePlugin.V1Beta1;
using KubeletDevicePlugin = TensorFusion.KubeletApi.DevicePlugin.V1Beta1.DevicePlugin;

namespace TensorFusion.Agent.DeviceDelivery.DevicePlugin;

/// <summary>
/// The DevicePlugin service of every <c>index_&lt;k&gt;</c> resource (the socket a call arrived on says which k).
/// Allocate turns (k, number of ids) into the pod index, finds that worker and answers its container edits: the CDI
/// device names where the runtime has CDI, else <c>NVIDIA_VISIBLE_DEVICES</c>, the worker's env and mounts.
/// </summary>
internal sealed class IndexDevicePluginService(DevicePluginServer server) : KubeletDevicePlugin.DevicePluginBase
{
    public override Task<DevicePluginOptions> GetDevicePluginOptions(Empty request, ServerCallContext context) =>
        Task.FromResult(new DevicePluginOptions { PreStartRequired = false, GetPreferredAllocationAvailable = false });

    public override async Task ListAndWatch(Empty request, IServerStreamWriter<ListAndWatchResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var resource = ResourceOf(context);
        var response = new ListAndWatchResponse();
        response.Devices.Add(IndexResources.DeviceIds(resource).Select(id => new Device { ID = id, Health = "Healthy" }));
        await responseStream.WriteAsync(response, context.CancellationToken);
        // The dummy devices never change: hold the stream open until the kubelet or the agent ends it.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = context.CancellationToken.Register(() => ended.TrySetResult());
        await ended.Task;
    }

    public override async Task<AllocateResponse> Allocate(AllocateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var resource = ResourceOf(context);
        var name = IndexResources.ResourceName(resource);
        var response = new AllocateResponse();
        foreach (var container in request.ContainerRequests)
        {
            var count = container.DevicesIds.Count;
            if (count is < 1 or > IndexResources.MaxDevicesPerRequest)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"{name}: {count} devices requested; a worker asks for 1–{IndexResources.MaxDevicesPerRequest}"));
            }

            var podIndex = IndexResources.PodIndex(resource, count);
            var worker = await server.WorkerIndex.FindAsync(podIndex, context.CancellationToken)
                ?? throw Refuse(StatusCode.NotFound, $"no worker pod on node {server.NodeName} has tensor-fusion.ai/index={podIndex} ({name} with {count} devices)");
            WorkerEdits edits;
            try
            {
                edits = await server.Delivery.DeliverWorkerAsync(worker.Namespace, worker.Worker, context.CancellationToken);
            }
            catch (DeliveryException e)
            {
                throw Refuse(StatusCode.FailedPrecondition, $"{name} index {podIndex}: {e.Message}");
            }

            response.ContainerResponses.Add(Answer(edits));
        }

        return response;
    }

    public override Task<PreferredAllocationResponse> GetPreferredAllocation(PreferredAllocationRequest request, ServerCallContext context) =>
        Task.FromResult(new PreferredAllocationResponse());

    public override Task<PreStartContainerResponse> PreStartContainer(PreStartContainerRequest request, ServerCallContext context) =>
        Task.FromResult(new PreStartContainerResponse());

    private ContainerAllocateResponse Answer(WorkerEdits edits)
    {
        var answer = new ContainerAllocateResponse();
        if (server.UseCdi)
        {
            answer.CdiDevices.Add(edits.CdiDeviceIds().Select(id => new CDIDevice { Name = id }));
            return answer;
        }

        // Without CDI the NVIDIA runtime picks the GPUs from the environment (docs/agent-protocol.md says what that costs).
        answer.Envs["NVIDIA_VISIBLE_DEVICES"] = string.Join(",", edits.Gpus.Select(gpu => gpu.DeviceUuid));
        foreach (var (key, value) in edits.Env)
        {
            answer.Envs[key] = value;
        }

        answer.Mounts.Add(edits.Mounts.Select(m => new Mount { HostPath = m.HostPath, ContainerPath = m.ContainerPath, ReadOnly = m.ReadOnly }));
        return answer;
    }

    private RpcException Refuse(StatusCode code, string message)
    {
        server.OnAllocateRefused(message);
        return new RpcException(new Status(code, message));
    }

    private static int ResourceOf(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<IConnectionItemsFeature>()?.Items[DevicePluginServer.ResourceItem] as int?
            ?? throw new RpcException(new Status(StatusCode.Internal, "call arrived on a socket that serves no index resource"));
}
