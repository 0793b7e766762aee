using System.Collections.Concurrent;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Events;

/// <summary>
/// Writes core/v1 Events about objects for what a user wants to see (scaling, missing pool, ignored fields). The same
/// reason and message for the same object is written once until it changes, so a requeue loop does not flood the
/// namespace. Failures to write an event are swallowed: events are best effort.
/// </summary>
public sealed class EventRecorder(KubeRestClient client, TimeProvider time, string component = "tensorfusion-operator")
{
    private readonly ConcurrentDictionary<(string Uid, string Reason), string> _last = new();

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(string apiVersion, string kind, V1ObjectMeta subject, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var uid = subject.Uid ?? $"{subject.NamespaceProperty}/{subject.Name}";
        if (_last.TryGetValue((uid, reason), out var previous) && previous == message)
        {
            return;
        }

        _last[(uid, reason)] = message;
        var now = time.GetUtcNow().UtcDateTime;
        var @event = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = $"{subject.Name}.{Guid.NewGuid():N}"[..Math.Min(253, subject.Name.Length + 33)], NamespaceProperty = ObjectKey.InNamespace(subject.NamespaceProperty, subject.Name).Namespace },
            InvolvedObject = new V1ObjectReference { ApiVersion = apiVersion, Kind = kind, Name = subject.Name, NamespaceProperty = subject.NamespaceProperty, Uid = subject.Uid, ResourceVersion = subject.ResourceVersion },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
        };
        try
        {
            await client.CreateAsync(ResourceDescriptor.Events.CollectionPath(@event.Metadata.NamespaceProperty), @event, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsTransient(e))
        {
            // Best effort: losing an event must not fail a reconcile.
            _last.TryRemove((uid, reason), out _);
        }
    }

    /// <summary>Forgets what was said about an object (it was deleted).</summary>
    public void Forget(string uid)
    {
        foreach (var key in _last.Keys.Where(key => key.Uid == uid))
        {
            _last.TryRemove(key, out _);
        }
    }

    /// <summary>Forgets what was last said about an object for one reason, so the same message may be said again (a
    /// state that came back after it cleared).</summary>
    public void Forget(string uid, string reason) => _last.TryRemove((uid, reason), out _);
}
