namespace TensorFusion.Gpu.Packing;

/// <summary>
/// The pricing step of column generation: the bin configuration (how many of each item type one bin holds) of largest
/// total weight, a bounded two-dimensional knapsack solved by depth-first branch and bound. When the search is cut
/// short it still returns a proven upper bound on the best weight, which is all the Farley bound needs.
/// </summary>
internal sealed class ConfigurationPricer(IReadOnlyList<ItemType> types, long capacityA, long capacityB)
{
    private const int MaxNodes = 400_000;

    private double[] _weights = [];
    private int[] _order = [];
    private double[] _suffixDensityA = [];
    private double[] _suffixDensityB = [];
    private double[] _suffixTotal = [];
    private int[] _current = [];
    private int[]? _best;
    private double _bestValue;
    private int _nodes;

    /// <summary>How many items of type <paramref name="index"/> alone fit one bin (at most the type's count).</summary>
    public int MostOf(int index) => Fit(types[index], capacityA, capacityB, types[index].Count);

    /// <summary>
    /// A proven upper bound on the best configuration's weight, and the best configuration found (null when no item has
    /// positive weight). The bound equals that configuration's weight unless the search hit its node limit.
    /// </summary>
    public (double Bound, int[]? Configuration) Best(double[] weights)
    {
        _weights = weights;
        _order = [.. Enumerable.Range(0, types.Count).Where(i => weights[i] > 1e-12)
            .OrderByDescending(i => weights[i] / (Share(types[i].A, capacityA) + Share(types[i].B, capacityB)))];
        var n = _order.Length;
        _suffixDensityA = new double[n + 1];
        _suffixDensityB = new double[n + 1];
        _suffixTotal = new double[n + 1];
        for (var k = n - 1; k >= 0; k--)
        {
            var type = types[_order[k]];
            var weight = weights[_order[k]];
            _suffixDensityA[k] = Math.Max(_suffixDensityA[k + 1], type.A == 0 ? double.PositiveInfinity : weight / type.A);
            _suffixDensityB[k] = Math.Max(_suffixDensityB[k + 1], type.B == 0 ? double.PositiveInfinity : weight / type.B);
            _suffixTotal[k] = _suffixTotal[k + 1] + weight * MostOf(_order[k]);
        }

        _current = new int[types.Count];
        _best = null;
        _bestValue = 0;
        _nodes = 0;
        var root = UpperBound(0, capacityA, capacityB);
        Search(0, capacityA, capacityB, 0);
        return (_nodes >= MaxNodes ? Math.Max(root, _bestValue) : _bestValue, _best);
    }

    private void Search(int depth, long leftA, long leftB, double value)
    {
        if (value > _bestValue)
        {
            _bestValue = value;
            _best = (int[])_current.Clone();
        }

        if (depth == _order.Length || ++_nodes >= MaxNodes || value + UpperBound(depth, leftA, leftB) <= _bestValue + 1e-12)
        {
            return;
        }

        var index = _order[depth];
        var type = types[index];
        for (var take = Fit(type, leftA, leftB, type.Count); take >= 0; take--)
        {
            _current[index] = take;
            Search(depth + 1, leftA - (take * type.A), leftB - (take * type.B), value + (take * _weights[index]));
            _current[index] = 0;
            if (_nodes >= MaxNodes)
            {
                return;
            }
        }
    }

    /// <summary>
    /// What the types from <paramref name="depth"/> on can add: no more than the room left in either dimension times
    /// the best weight per unit there, nor than all of them at their single-bin maximum.
    /// </summary>
    private double UpperBound(int depth, long leftA, long leftB) =>
        Math.Min(_suffixTotal[depth], Math.Min(Room(leftA, _suffixDensityA[depth]), Room(leftB, _suffixDensityB[depth])));

    private static double Room(long left, double density) => double.IsPositiveInfinity(density) ? double.PositiveInfinity : left * density;

    private static double Share(long size, long capacity) => capacity == 0 ? 0 : size / (double)capacity;

    private static int Fit(ItemType type, long leftA, long leftB, int most)
    {
        var fit = (long)most;
        if (type.A > 0)
        {
            fit = Math.Min(fit, leftA / type.A);
        }

        if (type.B > 0)
        {
            fit = Math.Min(fit, leftB / type.B);
        }

        return (int)Math.Max(0, fit);
    }
}
