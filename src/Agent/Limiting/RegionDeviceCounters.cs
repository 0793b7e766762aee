namespace TensorFusion.Agent.Limiting;

/// <summary>What the shim (and the agent) counted for one device entry of a region, read atomically field by field.</summary>
public sealed record RegionDeviceCounters(
    long UsedBytes, long OverheadBytes, long Tokens, long TokenCapacity, long RefillTokensPerSecond,
    long LaunchCount, long ThrottledNs, long OomRefusals, long ReclaimedBytes);
