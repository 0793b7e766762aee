using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// The compiled CEL rules of one CRD version's schema, keyed by the schema node that carries them. Cached per schema
/// object: each served CRD version holds its own schema node, so a CRD update (new nodes) compiles afresh and an
/// unchanged version is compiled once however many objects are written.
/// </summary>
public sealed class CelRuleSet
{
    private static readonly ConditionalWeakTable<JsonObject, CelRuleSet> Cache = [];

    private readonly Dictionary<JsonObject, CelRule[]> rules;

    private CelRuleSet(Dictionary<JsonObject, CelRule[]> rules) => this.rules = rules;

    public bool IsEmpty => rules.Count == 0;

    /// <summary>The rule set of <paramref name="schema"/>; rules that do not compile were refused with the CRD, so here they are skipped.</summary>
    public static CelRuleSet For(JsonObject schema) =>
        Cache.GetValue(schema, root => Compile(root, string.Empty).Rules);

    /// <summary>Compiles every rule under <paramref name="schema"/>; errors name the rule's schema path under <paramref name="schemaPath"/>.</summary>
    public static (CelRuleSet Rules, List<string> Errors) Compile(JsonObject schema, string schemaPath)
    {
        var compiled = new Dictionary<JsonObject, CelRule[]>(ReferenceEqualityComparer.Instance);
        var errors = new List<string>();
        CompileNode(schema, schemaPath, compiled, errors);
        return (new CelRuleSet(compiled), errors);
    }

    public IReadOnlyList<CelRule> At(JsonObject schemaNode) => rules.TryGetValue(schemaNode, out var found) ? found : [];

    private static void CompileNode(JsonObject schema, string path, Dictionary<JsonObject, CelRule[]> compiled, List<string> errors)
    {
        if (schema["x-kubernetes-validations"] is JsonArray validations)
        {
            var list = new List<CelRule>();
            for (var index = 0; index < validations.Count; index++)
            {
                var rulePath = $"{path}x-kubernetes-validations[{index}]";
                var (rule, error) = CelRuleCompiler.Compile(validations[index] as JsonObject, rulePath);
                if (rule is not null)
                {
                    list.Add(rule);
                }
                else
                {
                    errors.Add(error!);
                }
            }

            compiled[schema] = [.. list];
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    CompileNode(childSchema, $"{path}properties[{name}].", compiled, errors);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            CompileNode(items, $"{path}items.", compiled, errors);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            CompileNode(additional, $"{path}additionalProperties.", compiled, errors);
        }
    }
}
