using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Schema;

namespace TensorFusion.LocalCluster.Tests.Schema;

/// <summary>
/// Every x-kubernetes-validations rule of deploy/crds, found by walking the CRD files themselves, with a value that
/// passes and one that fails at each place the rule sits. A rule added to a CRD without an entry in
/// <see cref="Cases"/> fails <see cref="EveryProjectRule_HasTestData"/>.
/// </summary>
public sealed class ProjectCelRuleTests
{
    /// <summary>Rule text → (`self` that passes, `self` that fails), as JSON.</summary>
    private static readonly Dictionary<string, (string Valid, string Invalid)> Cases = new(StringComparer.Ordinal)
    {
        ["!has(self.tflops) || !has(self.compute)"] = ("""{"tflops":"10"}""", """{"tflops":"10","compute":"50"}"""),
        ["double(self) >= 0.0 && double(self) <= 1.0"] = ("\"0.5\"", "\"1.5\""),
        ["double(self) >= 0.0 && double(self) <= 10.0"] = ("\"10\"", "\"10.5\""),
        ["double(self) >= 0.0 && double(self) <= 1000.0"] = ("\"999.9\"", "\"1000.1\""),
        ["!has(self.start) || !has(self.end) || self.start != self.end"] = ("""{"start":"a","end":"b"}""", """{"start":"a","end":"a"}"""),
        ["!has(self.updateThreshold) || !has(self.marginFraction) || double(self.updateThreshold) <= double(self.marginFraction)"] =
            ("""{"updateThreshold":"0.15","marginFraction":"0.15"}""", """{"updateThreshold":"0.2","marginFraction":"0.15"}"""),
        ["!has(self.minMembers) || self.minMembers == 0 || self.minMembers >= 2"] = ("""{"minMembers":2}""", """{"minMembers":1}"""),
        ["!has(self.gangScheduling) || !has(self.gangScheduling.minMembers) || self.gangScheduling.minMembers == 0 || !has(self.replicas) || self.gangScheduling.minMembers <= self.replicas"] =
            ("""{"replicas":2,"gangScheduling":{"minMembers":2}}""", """{"replicas":2,"gangScheduling":{"minMembers":3}}"""),
    };

    public static TheoryData<string, string, string> ProjectRules()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (file, version, schema) in ProjectSchemas())
        {
            foreach (var (location, node) in RuleLocations(schema, []))
            {
                var rules = (JsonArray)node["x-kubernetes-validations"]!;
                for (var index = 0; index < rules.Count; index++)
                {
                    data.Add($"{file}@{version}", string.Join('/', location), rules[index]!["rule"]!.GetValue<string>());
                }
            }
        }

        return data;
    }

    [Fact]
    public void EveryProjectRule_HasTestData()
    {
        var rules = ProjectRules().Select(row => (string)row[2]).ToList();

        // 77 rule sites in 8 distinct rules when this test was written; each one must have a case.
        Assert.True(rules.Count >= 77, $"only {rules.Count} rules found in deploy/crds");
        Assert.All(rules, rule => Assert.True(Cases.ContainsKey(rule), $"no passing/failing test data for rule: {rule}"));
    }

    [Theory]
    [MemberData(nameof(ProjectRules))]
    public void ProjectRule_ValidValuePasses_InvalidValueFailsWithItsMessageAndPath(string crd, string location, string rule)
    {
        var (_, version, schema) = ProjectSchemas().Single(entry => $"{entry.File}@{entry.Version}" == crd);
        var segments = location.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var node = SchemaAt(schema, segments);
        var entry = ((JsonArray)node["x-kubernetes-validations"]!).OfType<JsonObject>().First(item => item["rule"]!.GetValue<string>() == rule);
        var (valid, invalid) = Cases[rule];

        var passing = new SchemaValidation();
        CelValidation.Apply(ObjectWith(segments, JsonNode.Parse(valid)), null, schema, passing);
        var failing = new SchemaValidation();
        CelValidation.Apply(ObjectWith(segments, JsonNode.Parse(invalid)), null, schema, failing);

        Assert.True(passing.Errors.Count == 0, $"{crd} {location}: {string.Join("; ", passing.Errors)}");
        var error = Assert.Single(failing.Errors);
        Assert.Equal(FieldPath(segments), error.Field);
        var type = node["type"]!.GetValue<string>();
        Assert.Equal($"Invalid value: \"{type}\": {entry["message"]?.GetValue<string>() ?? "failed rule: " + rule}", error.Message);
        Assert.NotNull(version);
    }

    // Read once: the compiled rules are cached per schema node, so every case shares one compile per CRD version.
    private static readonly Lazy<List<(string File, string Version, JsonObject Schema)>> Schemas = new(() => [.. ReadProjectSchemas()]);

    private static List<(string File, string Version, JsonObject Schema)> ProjectSchemas() => Schemas.Value;

    /// <summary>Each version's schema of each project CRD, read from deploy/crds.</summary>
    private static IEnumerable<(string File, string Version, JsonObject Schema)> ReadProjectSchemas()
    {
        var directory = Path.Combine(Repository.Root(), "deploy", "crds");
        foreach (var path in Directory.GetFiles(directory, "*.tensor-fusion.ai.yaml").Order(StringComparer.Ordinal))
        {
            var crd = RequestBody.ParseYaml(Encoding.UTF8.GetBytes(File.ReadAllText(path)))!.AsObject();
            foreach (var version in crd["spec"]!["versions"]!.AsArray().OfType<JsonObject>())
            {
                yield return (Path.GetFileName(path), version["name"]!.GetValue<string>(), version["schema"]!["openAPIV3Schema"]!.AsObject());
            }
        }
    }

    /// <summary>Schema nodes carrying rules, with their location as segments: property names, `[]` for items, `*` for map values.</summary>
    private static IEnumerable<(List<string> Location, JsonObject Node)> RuleLocations(JsonObject schema, List<string> location)
    {
        if (schema["x-kubernetes-validations"] is JsonArray)
        {
            yield return (location, schema);
        }

        var children = (schema["properties"] as JsonObject)?.Select(pair => (Segment: pair.Key, Node: pair.Value as JsonObject)).ToList() ?? [];
        children.Add(("[]", schema["items"] as JsonObject));
        children.Add(("*", schema["additionalProperties"] as JsonObject));
        foreach (var (segment, node) in children.Where(child => child.Node is not null))
        {
            foreach (var found in RuleLocations(node!, [.. location, segment]))
            {
                yield return found;
            }
        }
    }

    private static JsonObject SchemaAt(JsonObject schema, IEnumerable<string> segments) =>
        segments.Aggregate(schema, (node, segment) => segment switch
        {
            "[]" => node["items"]!.AsObject(),
            "*" => node["additionalProperties"]!.AsObject(),
            _ => node["properties"]![segment]!.AsObject(),
        });

    /// <summary>The smallest object holding <paramref name="self"/> at the location (one-item arrays, map key `k`).</summary>
    private static JsonObject ObjectWith(string[] segments, JsonNode? self)
    {
        var value = self;
        foreach (var segment in segments.Reverse())
        {
            value = segment == "[]" ? new JsonArray(value) : new JsonObject { [segment == "*" ? "k" : segment] = value };
        }

        return value as JsonObject ?? throw new InvalidOperationException("rules at the root must have an object self");
    }

    private static string FieldPath(IEnumerable<string> segments) =>
        segments.Aggregate(string.Empty, (path, segment) => segment switch
        {
            "[]" => path + "[0]",
            "*" => path.Length == 0 ? "k" : path + ".k",
            _ => path.Length == 0 ? segment : $"{path}.{segment}",
        });
}
