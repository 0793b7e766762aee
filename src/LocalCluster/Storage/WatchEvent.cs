namespace TensorFusion.LocalCluster.Storage;

/// <summary>One change, in commit order. <see cref="Previous"/> lets selector watches turn "left the selection" into DELETED.</summary>
public sealed record WatchEvent(WatchEventType Type, long Revision, StoredObject? Current, StoredObject? Previous)
{
    /// <summary>The encoded watch line, computed once and shared by every unfiltered watcher.</summary>
    internal byte[]? Line { get; set; }

    public static string TypeName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        _ => "BOOKMARK",
    };
}
