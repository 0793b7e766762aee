using System.Threading.Channels;

namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// A live feed of committed events for one resource (or all, for controllers). Events are written under the store's
/// write lock, so every subscriber sees the same order with nothing missing.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Action<WatchSubscription> _unsubscribe;
    private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    internal WatchSubscription(string? storageId, Action<WatchSubscription> unsubscribe, Func<WatchEvent, bool>? accepts = null)
    {
        StorageId = storageId;
        _unsubscribe = unsubscribe;
        Accepts = accepts;
    }

    /// <summary>The resource watched, or null for every resource.</summary>
    public string? StorageId { get; }

    /// <summary>Which live events the subscriber wants (null: all of its resource).</summary>
    internal Func<WatchEvent, bool>? Accepts { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    internal void Publish(WatchEvent change) => _channel.Writer.TryWrite(change);

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
