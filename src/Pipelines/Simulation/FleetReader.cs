using System.Globalization;
using k8s.Models;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace TensorFusion.Pipelines.Simulation;

/// <summary>Reads fleet.yaml into node specs; every problem is reported with the file, the group index and the field.</summary>
public static class FleetReader
{
    public const string DefaultPool = "default";

    public static (IReadOnlyList<NodeSpec> Nodes, IReadOnlyList<string> Errors) Read(string yaml, string source, GpuModelCatalog catalog)
    {
        FleetDocument? document;
        try
        {
            document = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<FleetDocument>(yaml);
        }
        catch (YamlException error)
        {
            var message = error.InnerException?.Message ?? error.Message;
            return ([], [$"{source}: line {error.Start.Line}: {message}"]);
        }

        if (document?.Nodes is not { Count: > 0 } groups)
        {
            return ([], [$"{source}: 'nodes' must list at least one node group"]);
        }

        var nodes = new List<NodeSpec>();
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var where = $"{source}: nodes[{g}]";
            var before = errors.Count;
            if (string.IsNullOrWhiteSpace(group.NamePrefix))
            {
                errors.Add($"{where}.namePrefix is required");
            }

            if (group.Count is < 1 or > 100_000)
            {
                errors.Add($"{where}.count must be 1-100000, got {group.Count}");
            }

            if (group.Gpu?.Model is not { Length: > 0 } modelName)
            {
                errors.Add($"{where}.gpu.model is required (e.g. H100, A100-80GB)");
            }
            else if (catalog.TryFind(modelName) is null)
            {
                errors.Add($"{where}.gpu.model: unknown GPU model '{modelName}'; known: {string.Join(", ", catalog.Models.Select(m => m.Name))}");
            }

            if (group.Gpu is { Count: < 1 or > 128 })
            {
                errors.Add($"{where}.gpu.count must be 1-128, got {group.Gpu.Count}");
            }

            var memory = Bytes(group.HostMemory, $"{where}.hostMemory", errors);
            var disk = Bytes(group.HostDisk, $"{where}.hostDisk", errors);
            IsolationMode? isolation = null;
            if (group.IsolationMode is { } modeText)
            {
                isolation = Enum.TryParse<IsolationMode>(modeText, ignoreCase: true, out var mode)
                    ? mode
                    : null;
                if (isolation is null)
                {
                    errors.Add($"{where}.isolationMode must be shared, soft, hard or partitioned, got '{modeText}'");
                }
            }

            if (errors.Count > before)
            {
                continue;
            }

            var width = (group.Count - 1).ToString(CultureInfo.InvariantCulture).Length;
            for (var i = 0; i < group.Count; i++)
            {
                var name = $"{group.NamePrefix}-{i.ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}";
                if (!names.Add(name))
                {
                    errors.Add($"{where}: node name '{name}' is also produced by an earlier group");
                    break;
                }

                var labels = new Dictionary<string, string>(group.Labels ?? [], StringComparer.Ordinal) { ["kubernetes.io/hostname"] = name };
                var gpus = Enumerable.Range(0, group.Gpu!.Count)
                    .Select(index => new GpuSpec($"{name}-gpu{index}", index, group.Gpu.Model!, IsolationMode: isolation))
                    .ToArray();
                nodes.Add(new NodeSpec(name, group.Pool ?? DefaultPool, labels, gpus, memory, disk));
            }
        }

        return (nodes, errors);
    }

    private static long Bytes(string? quantity, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(quantity))
        {
            return 0;
        }

        try
        {
            return new ResourceQuantity(quantity).ToInt64();
        }
        catch (Exception error) when (error is FormatException or ArgumentException or OverflowException)
        {
            errors.Add($"{field}: '{quantity}' is not a quantity such as 512Gi or 2Ti");
            return 0;
        }
    }
}
