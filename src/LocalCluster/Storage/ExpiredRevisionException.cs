namespace TensorFusion.LocalCluster.Storage;

/// <summary>A watch asked to resume from a revision whose events were compacted away (HTTP 410 Expired).</summary>
public sealed class ExpiredRevisionException(long requested, long oldestResumable)
    : Exception($"too old resource version: {requested} ({oldestResumable})")
{
    public long Requested { get; } = requested;

    public long OldestResumable { get; } = oldestResumable;
}
