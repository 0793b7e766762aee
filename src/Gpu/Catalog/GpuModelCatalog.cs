using System.Text;
using System.Text.Json;
using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Catalog;

/// <summary>
/// The GPU models the allocator knows, found by the names users write (<c>H100</c>, <c>H100-80GB</c>,
/// <c>NVIDIA H100 80GB HBM3</c>) through normalised aliases. The default table is the embedded
/// <c>gpu-models.json</c>; <see cref="WithOverrides(string)"/> replaces fields or adds models from another JSON document.
/// </summary>
public sealed class GpuModelCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, GpuModelEntry> _entries;
    private readonly Dictionary<string, GpuModel> _byAlias;

    private GpuModelCatalog(Dictionary<string, GpuModelEntry> entries)
    {
        _entries = entries;
        Models = entries.Values.Select(Build).OrderBy(model => model.Name, StringComparer.Ordinal).ToArray();
        _byAlias = new Dictionary<string, GpuModel>(StringComparer.Ordinal);
        foreach (var model in Models)
        {
            foreach (var alias in model.Aliases.Append(model.Name))
            {
                var key = Normalize(alias);
                if (_byAlias.TryGetValue(key, out var existing) && existing.Name != model.Name)
                {
                    throw new InvalidDataException($"GPU catalog: alias '{alias}' names both '{existing.Name}' and '{model.Name}'");
                }

                _byAlias[key] = model;
            }
        }
    }

    public IReadOnlyList<GpuModel> Models { get; }

    /// <summary>The embedded default catalog.</summary>
    public static GpuModelCatalog Default { get; } = LoadEmbedded();

    /// <summary>Parses a catalog JSON document (<c>{"models": [...]}</c>); errors name the model and field.</summary>
    public static GpuModelCatalog Parse(string json) => new(ReadEntries(json, isOverride: false));

    /// <summary>
    /// Applies an override document: a model with a known name (or alias) gets the fields the override sets, a new name
    /// is added as a whole model.
    /// </summary>
    public GpuModelCatalog WithOverrides(string json)
    {
        var merged = new Dictionary<string, GpuModelEntry>(_entries, StringComparer.Ordinal);
        foreach (var entry in ReadEntries(json, isOverride: true).Values)
        {
            var target = TryFind(entry.Name!)?.Name ?? entry.Name!;
            merged[target] = merged.TryGetValue(target, out var baseEntry)
                ? new GpuModelEntry(
                    target,
                    entry.Vendor ?? baseEntry.Vendor,
                    entry.Fp16Tflops ?? baseEntry.Fp16Tflops,
                    entry.VramGiB ?? baseEntry.VramGiB,
                    entry.CostPerHour ?? baseEntry.CostPerHour,
                    entry.Aliases is null ? baseEntry.Aliases : [.. baseEntry.Aliases ?? [], .. entry.Aliases],
                    entry.Mig ?? baseEntry.Mig)
                : entry;
        }

        return new GpuModelCatalog(merged);
    }

    /// <summary>Finds a model by name or alias; case, spaces, dashes, underscores and a leading "NVIDIA" are ignored.</summary>
    public GpuModel? TryFind(string name) =>
        _byAlias.TryGetValue(Normalize(name), out var model) ? model : null;

    public GpuModel Find(string name) =>
        TryFind(name) ?? throw new KeyNotFoundException(
            $"unknown GPU model '{name}'; known models: {string.Join(", ", Models.Select(model => model.Name))}");

    /// <summary>Upper-cases, drops a leading NVIDIA and keeps letters and digits only: "NVIDIA H100 80GB HBM3" → "H10080GBHBM3".</summary>
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        var key = builder.ToString();
        return key.StartsWith("NVIDIA", StringComparison.Ordinal) && key.Length > 6 ? key[6..] : key;
    }

    private static GpuModelCatalog LoadEmbedded()
    {
        using var stream = typeof(GpuModelCatalog).Assembly.GetManifestResourceStream("TensorFusion.Gpu.Catalog.gpu-models.json")
            ?? throw new InvalidOperationException("embedded resource gpu-models.json is missing from TensorFusion.Gpu");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static Dictionary<string, GpuModelEntry> ReadEntries(string json, bool isOverride)
    {
        GpuCatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<GpuCatalogDocument>(json, JsonOptions);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"GPU catalog: invalid JSON at {error.Path} (line {error.LineNumber + 1}): {error.Message}", error);
        }

        var entries = new Dictionary<string, GpuModelEntry>(StringComparer.Ordinal);
        var models = document?.Models ?? throw new InvalidDataException("GPU catalog: missing 'models' array");
        for (var i = 0; i < models.Count; i++)
        {
            var entry = models[i];
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new InvalidDataException($"GPU catalog: models[{i}].name is required");
            }

            if (!isOverride)
            {
                Build(entry);
            }

            if (!entries.TryAdd(entry.Name, entry))
            {
                throw new InvalidDataException($"GPU catalog: model '{entry.Name}' appears twice");
            }
        }

        return entries;
    }

    private static GpuModel Build(GpuModelEntry entry)
    {
        var name = entry.Name!;
        if (entry.Fp16Tflops is not > 0)
        {
            throw new InvalidDataException($"GPU catalog: model '{name}': fp16Tflops must be > 0");
        }

        if (entry.VramGiB is not > 0)
        {
            throw new InvalidDataException($"GPU catalog: model '{name}': vramGiB must be > 0");
        }

        return new GpuModel(
            name,
            entry.Vendor ?? "NVIDIA",
            entry.Fp16Tflops.Value,
            ByteSize.FromGibibytes(entry.VramGiB.Value),
            entry.CostPerHour ?? 0,
            entry.Aliases ?? [],
            entry.Mig is null ? null : MigGeometryValidator.Build(name, entry.Mig));
    }
}
