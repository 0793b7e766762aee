using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Upstream's pool rule: a named pool must exist; no name means the pool annotated
/// <c>tensor-fusion.ai/is-default-pool: "true"</c> (the first such pool by name, so the choice is stable).
/// </summary>
public static class DefaultPool
{
    public static GpuPool? Find(IEnumerable<GpuPool> pools) =>
        pools.Where(IsDefault).OrderBy(pool => pool.Metadata?.Name, StringComparer.Ordinal).FirstOrDefault();

    public static bool IsDefault(GpuPool pool) =>
        pool.Metadata?.Annotations?.TryGetValue(Annotations.IsDefaultPool, out var value) == true && value == "true";

    /// <summary>The named pool, or the default pool when <paramref name="name"/> is empty; null with a reason otherwise.</summary>
    public static GpuPool? Resolve(IReadOnlyList<GpuPool> pools, string? name, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(name))
        {
            var fallback = Find(pools);
            if (fallback is null)
            {
                problem = $"no pool named and no GPUPool is annotated {Annotations.IsDefaultPool}: \"true\"";
            }

            return fallback;
        }

        var named = pools.FirstOrDefault(pool => pool.Metadata?.Name == name);
        if (named is null)
        {
            var known = pools.Select(pool => pool.Metadata?.Name).Where(n => !string.IsNullOrEmpty(n)).OrderBy(n => n, StringComparer.Ordinal);
            problem = $"GPUPool \"{name}\" does not exist (pools: {string.Join(", ", known)})";
        }

        return named;
    }
}
