namespace TensorFusion.Agent.Limiting;

/// <summary>A held per-process slot: the owner's pid in its own pid namespace, that namespace's inode, its start time.</summary>
public readonly record struct RegionSlot(int Index, int Pid, uint PidNamespace, ulong StartTime);
