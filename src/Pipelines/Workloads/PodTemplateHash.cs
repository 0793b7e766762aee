using System.Globalization;
using System.Text;
using System.Text.Json;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// The workload's podTemplateHash: FNV-1a-64 (hex) over the pool's worker and hypervisor templates followed by the
/// JSON of the whole workload spec, as upstream does. Any spec change therefore rolls the workers.
/// </summary>
public static class PodTemplateHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static string Compute(GpuPool pool, WorkloadProfileSpec spec)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var text = new StringBuilder()
            .Append(JsonSerializer.Serialize(pool.Spec?.ComponentConfig?.Worker, TensorFusionJson.Options))
            .Append(JsonSerializer.Serialize(pool.Spec?.ComponentConfig?.Hypervisor, TensorFusionJson.Options))
            .Append(JsonSerializer.Serialize(spec, TensorFusionJson.Options))
            .ToString();
        return Fnv1a64(Encoding.UTF8.GetBytes(text)).ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>FNV-1a, 64 bit: for each byte, xor then multiply by the FNV prime. "" → cbf29ce484222325.</summary>
    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }
}
