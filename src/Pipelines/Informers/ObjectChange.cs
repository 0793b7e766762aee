namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// One change the cache went through. <see cref="Current"/> is the new object, or the last known one for a delete
/// (which may be a relist tombstone: deleted while the watch was down, final state unknown).
/// </summary>
public sealed record ObjectChange<T>(ChangeType Type, T Current, T? Previous);
