using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Gpus;
using GpuObject = TensorFusion.Api.Gpus.Gpu;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Serialization;
using TensorFusion.Agent.Health;

namespace TensorFusion.Agent.Registration;

/// <summary>
/// Registers the node as a <c>GPUNode</c> and each device as a <c>GPU</c> (owned by the GPUNode, so deleting the
/// node removes its GPUs). Healthy GPUs are <c>Running</c>; a GPU that failed a health check or disappeared becomes
/// <c>Unknown</c> with the reason in <c>status.message</c>, so the allocator stops placing on it while pods already
/// there keep running. GPU status is patched only when it changed; the node's heartbeat on every publish. With an
/// <c>agentEndpoint</c> the GPUNode carries it in <see cref="Annotations.AgentEndpoint"/>, which is where the
/// operator sends plans (docs/adr/0004-agent-addressing.md). One registrar per node: it remembers that node's uid.
/// </summary>
public sealed partial class KubernetesNodeRegistrar(
    IKubernetes client, string agentVersion, Uri? agentEndpoint = null, IReadOnlyDictionary<string, string>? nodeAnnotations = null) : INodeRegistrar
{
    private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal);
    private string? _nodeUid;
    private bool _endpointPublished;

    public async Task PublishAsync(NodeReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            await PublishOnceAsync(report, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Someone deleted the GPUNode (and with it, by owner reference, its GPUs) after we created them: forget what
            // we believed published and create everything again now, rather than failing every heartbeat.
            _nodeUid = null;
            _endpointPublished = false;
            _published.Clear();
            await PublishOnceAsync(report, cancellationToken);
        }
    }

    /// <summary>The agent endpoint and any annotations the agent was given (local mode's plugin socket), or null.</summary>
    private Dictionary<string, string>? OwnAnnotations()
    {
        var annotations = new Dictionary<string, string>(nodeAnnotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (agentEndpoint is not null)
        {
            annotations[Annotations.AgentEndpoint] = agentEndpoint.AbsoluteUri;
        }

        return annotations.Count == 0 ? null : annotations;
    }

    private async Task PublishOnceAsync(NodeReport report, CancellationToken cancellationToken)
    {
        _nodeUid ??= await EnsureExistsAsync(GpuNode.KubePluralName, report.NodeName, new GpuNode
        {
            Metadata = new V1ObjectMeta
            {
                Name = report.NodeName,
                Labels = new Dictionary<string, string> { [Labels.GpuPool] = report.Pool },
                Annotations = OwnAnnotations(),
            },
        }, cancellationToken);
        if (OwnAnnotations() is { } annotations && !_endpointPublished)
        {
            // The GPUNode may predate this agent (a restart on another port or address): always state where we listen now.
            var patch = TensorFusionJson.Serialize(new { metadata = new { annotations } });
            await client.CustomObjects.PatchClusterCustomObjectAsync(
                new V1Patch(patch, V1Patch.PatchType.MergePatch), TensorFusionApi.Group, TensorFusionApi.Version, GpuNode.KubePluralName, report.NodeName,
                cancellationToken: cancellationToken);
            _endpointPublished = true;
        }

        foreach (var gpu in report.Gpus)
        {
            var name = GpuObjectName(gpu.Device.Uuid);
            var status = TensorFusionJson.Serialize(new { status = GpuStatusOf(gpu, report) });
            if (_published.TryGetValue(name, out var previous) && previous == status)
            {
                continue;
            }

            await EnsureExistsAsync(GpuObject.KubePluralName, name, new GpuObject
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = new Dictionary<string, string> { [Labels.GpuPool] = report.Pool, [NodeLabel] = report.NodeName },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = TensorFusionApi.ApiVersion, Kind = GpuNode.KubeKind, Name = report.NodeName, Uid = _nodeUid }],
                },
            }, cancellationToken);
            await PatchStatusAsync(GpuObject.KubePluralName, name, status, cancellationToken);
            _published[name] = status;
        }

        var present = report.Gpus.Where(g => g.Present).ToArray();
        var nodeStatus = new GpuNodeStatus
        {
            Phase = present.Length > 0 ? GpuNodePhase.Running : GpuNodePhase.Pending,
            TotalGpus = report.Gpus.Count,
            ManagedGpus = present.Count(g => g.Healthy),
            ManagedGpuDeviceIds = present.Where(g => g.Healthy).Select(g => g.Device.Uuid).ToList(),
            TotalTflops = new ResourceQuantity(Quantity(present.Sum(g => report.DeviceTflops(g.Device)))),
            TotalVram = new ResourceQuantity(ByteQuantity.Format(present.Sum(g => g.Device.MemoryTotalBytes))),
            HypervisorStatus = new HypervisorStatus
            {
                HypervisorState = "Running",
                HypervisorVersion = agentVersion,
                LastHeartbeatTime = report.Now.UtcDateTime,
            },
        };
        await PatchStatusAsync(GpuNode.KubePluralName, report.NodeName, TensorFusionJson.Serialize(new { status = nodeStatus }), cancellationToken);
    }

    /// <summary>The label on GPU objects naming their node.</summary>
    public const string NodeLabel = Labels.Prefix + "node";

    /// <summary>GPU object names are the lowercased UUID ("GPU-1a2b..." → "gpu-1a2b..."), made DNS-1123 safe.</summary>
    public static string GpuObjectName(string uuid) => UnsafeNameCharacters().Replace(uuid.ToLowerInvariant(), "-").Trim('-');

    private static GpuStatus GpuStatusOf(GpuHealthState gpu, NodeReport report)
    {
        var device = gpu.Device;
        return new GpuStatus
        {
            Phase = gpu.Healthy ? GpuPhase.Running : GpuPhase.Unknown,
            Vendor = "NVIDIA",
            Model = device.Model,
            GpuModel = device.Model,
            Uuid = device.Uuid,
            Index = device.Index,
            NumaNode = device.NumaNode,
            Capacity = new GpuResourceAmount
            {
                Tflops = new ResourceQuantity(Quantity(report.DeviceTflops(device))),
                Vram = new ResourceQuantity(ByteQuantity.Format(device.MemoryTotalBytes)),
            },
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = report.NodeName },
            Message = gpu.Reason ?? "",
        };
    }

    private async Task<string> EnsureExistsAsync<T>(string plural, string name, T body, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await client.CustomObjects.GetClusterCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, plural, name, cancellationToken);
            return Uid(existing);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            using var document = JsonDocument.Parse(TensorFusionJson.Serialize(body));
            try
            {
                var created = await client.CustomObjects.CreateClusterCustomObjectAsync(
                    document.RootElement, TensorFusionApi.Group, TensorFusionApi.Version, plural, cancellationToken: cancellationToken);
                return Uid(created);
            }
            catch (HttpOperationException conflict) when (conflict.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Created by an earlier incarnation of this agent between our GET and POST.
                var existing = await client.CustomObjects.GetClusterCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, plural, name, cancellationToken);
                return Uid(existing);
            }
        }
    }

    private async Task PatchStatusAsync(string plural, string name, string mergePatch, CancellationToken cancellationToken) =>
        await client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), TensorFusionApi.Group, TensorFusionApi.Version, plural, name,
            cancellationToken: cancellationToken);

    private static string Uid(object response) =>
        JsonSerializer.SerializeToElement(response).GetProperty("metadata").GetProperty("uid").GetString() ?? "";

    private static string Quantity(double tflops) => tflops.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex("[^a-z0-9.-]")]
    private static partial Regex UnsafeNameCharacters();
}
