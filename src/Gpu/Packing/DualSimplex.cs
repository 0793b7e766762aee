namespace TensorFusion.Gpu.Packing;

/// <summary>
/// The dual of the configuration LP on a dense tableau: maximise Σ cᵢ·yᵢ subject to Σ aᵢ·yᵢ ≤ 1 for each configuration
/// a, y ≥ 0. The right-hand sides are all 1, so the slack basis is feasible at the start and no phase one is needed;
/// Bland's rule (lowest index enters and leaves) rules out cycling on the degenerate vertices packings produce. The LP
/// has one column per item type (tens) and one row per configuration (hundreds), so a dense tableau is the simple choice.
/// </summary>
internal static class DualSimplex
{
    private const double Epsilon = 1e-10;

    public static double[] Maximise(IReadOnlyList<double> objective, IReadOnlyList<int[]> rows)
    {
        var variables = objective.Count;
        var constraints = rows.Count;
        var width = variables + constraints + 1;
        var tableau = new double[constraints + 1, width];
        var basis = new int[constraints];
        for (var r = 0; r < constraints; r++)
        {
            for (var j = 0; j < variables; j++)
            {
                tableau[r, j] = rows[r][j];
            }

            tableau[r, variables + r] = 1;
            tableau[r, width - 1] = 1;
            basis[r] = variables + r;
        }

        for (var j = 0; j < variables; j++)
        {
            tableau[constraints, j] = -objective[j];
        }

        // Bland's rule terminates in finitely many pivots; the cap only guards against numerical trouble.
        for (var pivots = 0; pivots < 50_000; pivots++)
        {
            var entering = -1;
            for (var j = 0; j < width - 1; j++)
            {
                if (tableau[constraints, j] < -Epsilon)
                {
                    entering = j;
                    break;
                }
            }

            if (entering < 0)
            {
                break;
            }

            var leaving = -1;
            var bestRatio = double.PositiveInfinity;
            for (var r = 0; r < constraints; r++)
            {
                if (tableau[r, entering] > Epsilon)
                {
                    var ratio = tableau[r, width - 1] / tableau[r, entering];
                    if (ratio < bestRatio - Epsilon || (ratio <= bestRatio + Epsilon && leaving >= 0 && basis[r] < basis[leaving]))
                    {
                        bestRatio = ratio;
                        leaving = r;
                    }
                }
            }

            if (leaving < 0)
            {
                // Unbounded cannot happen while every type has a single-type row; stop with the current (feasible) point.
                break;
            }

            Pivot(tableau, leaving, entering, constraints, width);
            basis[leaving] = entering;
        }

        var solution = new double[variables];
        for (var r = 0; r < constraints; r++)
        {
            if (basis[r] < variables)
            {
                solution[basis[r]] = Math.Max(0, tableau[r, width - 1]);
            }
        }

        return solution;
    }

    private static void Pivot(double[,] tableau, int row, int column, int constraints, int width)
    {
        var pivot = tableau[row, column];
        for (var j = 0; j < width; j++)
        {
            tableau[row, j] /= pivot;
        }

        for (var r = 0; r <= constraints; r++)
        {
            var factor = tableau[r, column];
            if (r == row || factor == 0)
            {
                continue;
            }

            for (var j = 0; j < width; j++)
            {
                tableau[r, j] -= factor * tableau[row, j];
            }
        }
    }
}
