using TensorFusion.Agent;
using TensorFusion.Agent.Registration;
using TensorFusion.Api;
using GpuObject = TensorFusion.Api.Gpus.Gpu;
using TensorFusion.Gpu.Devices;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Host.Local;

/// <summary>
/// Local mode only: watches the GPU objects and turns each one's <see cref="SimulatedFault.Annotation"/> into a fault of
/// the matching simulated device (node from the GPU's node label or selector, device by index), so a user can watch the
/// agent report the GPU unhealthy and the allocator route around it. An annotation it cannot parse gets a Warning
/// event on the GPU and changes nothing.
/// </summary>
public sealed class LocalFaultInjector(KubeRestClient client, IReadOnlyList<NodeAgent> agents, TimeProvider time)
{
    private readonly Dictionary<string, SimulatedFault> _applied = new(StringComparer.Ordinal);
    private readonly EventRecorder _events = new(client, time, "tensorfusion-local");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var gpus = new Informer<GpuObject>(client, ResourceDescriptor.Gpus, new InformerOptions(), time, new Random(7));
        var run = gpus.RunAsync(cancellationToken);
        using var subscription = gpus.Changes.Subscribe(change =>
        {
            if (change.Type != ChangeType.Deleted)
            {
                _ = ApplyAsync(change.Current, cancellationToken);
            }
        });
        await run;
    }

    /// <summary>Applies one GPU's annotation to its simulated device; idempotent per value.</summary>
    public async Task ApplyAsync(GpuObject gpu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var name = gpu.Metadata.Name;
        var value = gpu.Metadata.Annotations is { } annotations && annotations.TryGetValue(SimulatedFault.Annotation, out var text) ? text : null;
        if (!SimulatedFault.TryParse(value, out var fault, out var error))
        {
            await _events.RecordAsync(TensorFusionApi.ApiVersion, GpuObject.KubeKind, gpu.Metadata, "Warning", "SimulatedFaultRejected", error!, cancellationToken);
            return;
        }

        var node = NodeOf(gpu);
        var agent = agents.FirstOrDefault(candidate => candidate.NodeName == node);
        if (agent?.Simulator is not { } simulator || gpu.Status?.Index is not { } index)
        {
            return;
        }

        lock (_applied)
        {
            if (_applied.GetValueOrDefault(name, SimulatedFault.Healthy) == fault)
            {
                return;
            }

            _applied[name] = fault;
        }

        simulator.InjectFault(index, fault.Health, fault.Xid);
        await agent.PublishNowAsync(cancellationToken);
        var (type, reason, message) = fault.Health == DeviceHealth.Healthy
            ? ("Normal", "SimulatedFaultCleared", $"simulated GPU {name} on {node} is healthy again")
            : ("Warning", "SimulatedFaultInjected", $"simulated GPU {name} on {node} now reports {(fault.Health == DeviceHealth.Lost ? "lost" : $"critical Xid {fault.Xid}")}");
        await _events.RecordAsync(TensorFusionApi.ApiVersion, GpuObject.KubeKind, gpu.Metadata, type, reason, message, cancellationToken);
    }

    private static string? NodeOf(GpuObject gpu) =>
        gpu.Metadata.Labels is { } labels && labels.TryGetValue(KubernetesNodeRegistrar.NodeLabel, out var node)
            ? node
            : gpu.Status?.NodeSelector?.GetValueOrDefault("kubernetes.io/hostname");
}
