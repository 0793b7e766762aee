namespace TensorFusion.Pipelines.Informers;

public enum ChangeType
{
    Added,
    Modified,
    Deleted,
}
