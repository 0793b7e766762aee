namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// Hands out plan generations that move forward across leaders without trusting any clock: a generation is
/// <c>epoch &lt;&lt; 42 | counter</c>, the epoch being one more than the Lease's <c>leaseTransitions</c> when this
/// process won it, the counter counting plans per node within the term. A new leader's epoch is higher than every
/// earlier leader's, so its first plan outranks anything an agent accepted before, however low its counter; a deposed
/// leader's plans rank below the new leader's, so agents refuse them (fencing). Thread-safe.
/// </summary>
public sealed class PlanGenerations
{
    /// <summary>
    /// 42, not 32: a wall-clock millisecond count (how earlier versions numbered plans, ~1.8·10^12 today) stays below
    /// 2^42 ≈ 4.4·10^12 until about 2109, so epoch 1 already outranks any generation an agent kept from an older
    /// operator and an upgrade is never fenced off. It leaves 2^21 epochs and 2^42 plans per node per term.
    /// </summary>
    public const int EpochShift = 42;

    private const long CounterMask = (1L << EpochShift) - 1;
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private PlanGenerations(long epoch, bool fenced)
    {
        Epoch = epoch;
        Fenced = fenced;
    }

    /// <summary>The term this process pushes in (0 without leader election).</summary>
    public long Epoch { get; }

    /// <summary>
    /// True under leader election: a generation from a higher epoch means another leader took over, so this process
    /// must not outbid it. False for a lone operator, which adopts whatever the agent holds (a restart, an upgrade).
    /// </summary>
    public bool Fenced { get; }

    /// <summary>For an operator without leader election: epoch 0, never fenced.</summary>
    public static PlanGenerations Unfenced() => new(0, fenced: false);

    /// <summary>For one leadership term won with the Lease at <paramref name="leaseTransitions"/>.</summary>
    public static PlanGenerations ForTerm(long leaseTransitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leaseTransitions);
        return new(leaseTransitions + 1, fenced: true);
    }

    public static long EpochOf(long generation) => generation >>> EpochShift;

    public static long CounterOf(long generation) => generation & CounterMask;

    /// <summary>The next generation for <paramref name="node"/>: above every one handed out or rebased to before.</summary>
    public long Next(string node)
    {
        lock (_gate)
        {
            var next = _last.GetValueOrDefault(node, Epoch << EpochShift) + 1;
            if (Fenced && EpochOf(next) != Epoch)
            {
                throw new InvalidOperationException($"plan generations for node {node} exhausted the 2^42 counter of epoch {Epoch}; restart the operator to start a new term");
            }

            _last[node] = next;
            return next;
        }
    }

    /// <summary>
    /// Learns that the agent of <paramref name="node"/> holds <paramref name="agentGeneration"/>, so the next generation
    /// is above it. Returns false, changing nothing, when that generation comes from a later term (fenced: a newer leader
    /// pushes to this node and this process must not outbid it).
    /// </summary>
    public bool TryRebase(string node, long agentGeneration)
    {
        lock (_gate)
        {
            if (Fenced && EpochOf(agentGeneration) > Epoch)
            {
                return false;
            }

            _last[node] = Math.Max(_last.GetValueOrDefault(node, Epoch << EpochShift), agentGeneration);
            return true;
        }
    }
}
