using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>
/// Keeps the node's ResourceSlice equal to its GPUs: created when missing, replaced (pool generation + 1) when the
/// devices changed, left alone otherwise. A cluster that does not serve the kind answers 404 on create; that is
/// <see cref="SlicePublishOutcome.NotServed"/>, counted in <see cref="NotServedCount"/>, and the caller logs it and
/// tries again at its next heartbeat (a cluster upgraded to 1.34 then gets its slice without an agent restart).
/// </summary>
public sealed class ResourceSlicePublisher(IKubernetes client, string nodeName)
{
    private long _notServed;

    public long NotServedCount => Interlocked.Read(ref _notServed);

    public async Task<SlicePublishOutcome> PublishAsync(IReadOnlyList<DeviceInfo> devices, Func<DeviceInfo, double> tflops, CancellationToken cancellationToken)
    {
        var name = ResourceSliceBuilder.SliceName(nodeName);
        V1ResourceSlice? existing;
        try
        {
            existing = await client.ResourceV1.ReadResourceSliceAsync(name, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            existing = null;
        }

        if (existing is null)
        {
            try
            {
                await client.ResourceV1.CreateResourceSliceAsync(ResourceSliceBuilder.Build(nodeName, devices, tflops, poolGeneration: 1), cancellationToken: cancellationToken);
                return SlicePublishOutcome.Created;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                Interlocked.Increment(ref _notServed);
                return SlicePublishOutcome.NotServed;
            }
        }

        var generation = existing.Spec?.Pool?.Generation ?? 0;
        var desired = ResourceSliceBuilder.Build(nodeName, devices, tflops, generation);
        if (KubernetesJson.Serialize(desired.Spec) == KubernetesJson.Serialize(existing.Spec))
        {
            return SlicePublishOutcome.Unchanged;
        }

        desired = ResourceSliceBuilder.Build(nodeName, devices, tflops, generation + 1);
        desired.Metadata.ResourceVersion = existing.Metadata?.ResourceVersion;
        await client.ResourceV1.ReplaceResourceSliceAsync(desired, name, cancellationToken: cancellationToken);
        return SlicePublishOutcome.Updated;
    }
}
