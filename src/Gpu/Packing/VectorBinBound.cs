namespace TensorFusion.Gpu.Packing;

/// <summary>
/// Lower bounds for two-dimensional vector bin packing. The strong one is the configuration LP of Gilmore and Gomory
/// (minimise Σ x_c over bin configurations c, covering each item type's count), computed from its dual by column
/// generation. It is proven through Farley's argument rather than through solver accuracy: for any y ≥ 0, if no single
/// bin holds items of total y-weight above z, then every packing needs at least Σ nᵢ·yᵢ / z bins. The pricing step
/// (<see cref="ConfigurationPricer"/>) finds z exactly (or a proven upper bound on it), so a rounding error in the LP
/// only weakens the bound, never makes it wrong.
/// </summary>
public static class VectorBinBound
{
    /// <summary>More item types than this are first rounded down to a coarser grid (smaller items keep the bound valid).</summary>
    public const int MaxTypes = 40;

    private const int MaxRounds = 300;

    /// <summary>Slack for floating point before rounding up: a bound of 12.0000001 is 12 bins, not 13.</summary>
    private const double RoundingSlack = 1e-6;

    /// <summary>⌈max(Σ aᵢ / A, Σ bᵢ / B)⌉.</summary>
    public static int Volume(IReadOnlyList<ItemType> items, long capacityA, long capacityB)
    {
        double a = 0, b = 0;
        foreach (var item in items)
        {
            a += (double)item.A * item.Count;
            b += (double)item.B * item.Count;
        }

        return (int)Math.Ceiling(Math.Max(a / capacityA, b / capacityB) - RoundingSlack);
    }

    /// <summary>
    /// The configuration-LP bound, rounded up. Every item must fit an empty bin (both sizes within capacity); items of
    /// size (0, 0) take no room and are ignored.
    /// </summary>
    public static int ConfigurationLp(IReadOnlyList<ItemType> items, long capacityA, long capacityB)
    {
        var types = Coarsen(items.Where(item => item.Count > 0 && (item.A > 0 || item.B > 0)).ToList(), capacityA, capacityB);
        if (types.Count == 0)
        {
            return 0;
        }

        foreach (var item in types)
        {
            if (item.A > capacityA || item.B > capacityB)
            {
                throw new ArgumentException($"an item of ({item.A}, {item.B}) does not fit a bin of ({capacityA}, {capacityB})", nameof(items));
            }
        }

        var pricer = new ConfigurationPricer(types, capacityA, capacityB);
        var configurations = new List<int[]>();
        for (var i = 0; i < types.Count; i++)
        {
            // One single-type configuration per type keeps the dual bounded from the first round.
            var alone = new int[types.Count];
            alone[i] = pricer.MostOf(i);
            configurations.Add(alone);
        }

        var demand = types.Select(type => (double)type.Count).ToArray();
        var best = 0.0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var weights = DualSimplex.Maximise(demand, configurations);
            var (value, configuration) = pricer.Best(weights);
            var total = demand.Select((count, i) => count * weights[i]).Sum();
            best = Math.Max(best, total / Math.Max(1.0, value));
            if (configuration is null || value <= 1 + 1e-9 || configurations.Any(known => known.AsSpan().SequenceEqual(configuration)))
            {
                break;
            }

            configurations.Add(configuration);
        }

        return (int)Math.Ceiling(best - RoundingSlack);
    }

    /// <summary>Merges equal sizes; past <see cref="MaxTypes"/>, rounds sizes down to ever coarser fractions of a bin.</summary>
    private static List<ItemType> Coarsen(List<ItemType> items, long capacityA, long capacityB)
    {
        var merged = Merge(items);
        foreach (var grid in (long[])[10_000, 2_000, 500, 100, 20])
        {
            if (merged.Count <= MaxTypes)
            {
                break;
            }

            var stepA = Math.Max(1, capacityA / grid);
            var stepB = Math.Max(1, capacityB / grid);
            merged = Merge([.. items.Select(item => item with { A = item.A / stepA * stepA, B = item.B / stepB * stepB })])
                .Where(item => item.A > 0 || item.B > 0).ToList();
        }

        return merged;
    }

    private static List<ItemType> Merge(IEnumerable<ItemType> items) => items
        .GroupBy(item => (item.A, item.B))
        .Select(group => new ItemType(group.Key.A, group.Key.B, group.Sum(item => item.Count)))
        .OrderByDescending(item => item.A).ThenByDescending(item => item.B)
        .ToList();
}
