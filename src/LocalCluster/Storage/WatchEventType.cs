namespace TensorFusion.LocalCluster.Storage;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
