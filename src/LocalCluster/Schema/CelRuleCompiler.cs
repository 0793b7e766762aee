using System.Text.Json.Nodes;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// Compiles one x-kubernetes-validations entry with the Cel library. The library parses at compile time but binds
/// functions and variables only when it evaluates, so a rule calling an unknown function or naming a variable other
/// than self/oldSelf would slip through; a walk of the parse tree refuses those when the CRD is written, as a real
/// API server's type check does.
/// </summary>
public static class CelRuleCompiler
{
    /// <summary>Functions and macros the Cel library evaluates (standard CEL); our rules need nothing beyond these.</summary>
    private static readonly HashSet<string> KnownFunctions =
    [
        "has", "size", "int", "uint", "double", "string", "bytes", "bool", "type", "dyn", "duration", "timestamp",
        "matches", "startsWith", "endsWith", "contains", "all", "exists", "exists_one", "map", "filter",
        "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours", "getMinutes",
        "getSeconds", "getMilliseconds",
    ];

    /// <summary>Names a CRD rule may use as values besides macro variables: the rule's variables and CEL's type names.</summary>
    private static readonly CelExpressionScope RuleScope = new(
        "rule", "a rule sees only self and oldSelf",
        ["self", "oldSelf", "int", "uint", "double", "string", "bytes", "bool", "list", "map", "null_type", "type"]);

    /// <summary>What a ValidatingAdmissionPolicy expression sees (no params, namespaceObject or authorizer here).</summary>
    private static readonly CelExpressionScope PolicyScope = new(
        "policy", "a policy expression sees request, object, oldObject and variables",
        ["request", "object", "oldObject", "variables", "int", "uint", "double", "string", "bytes", "bool", "list", "map", "null_type", "type"]);

    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

    private static readonly HashSet<string> Reasons = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"];

    // The environment is shared; the library does not document Compile as thread-safe, so compiles are serialized
    // (they happen on CRD writes only). The compiled delegates are evaluated concurrently.
    private static readonly CelEnvironment Environment = new(null, null);
    private static readonly Lock CompileLock = new();

    // Compiled expressions by text: the same rule sits at many places (77 sites, 8 distinct rules in our CRDs) and
    // every CRD write and first use of a CRD version recompiles its schema, so each distinct text is compiled once.
    private static readonly Dictionary<string, CelProgramDelegate> Compiled = new(StringComparer.Ordinal);

    /// <summary>The compiled rule, or an error `path.rule: Invalid value: "…": compilation failed: …`.</summary>
    public static (CelRule? Rule, string? Error) Compile(JsonObject? entry, string path)
    {
        var rule = Text(entry, "rule");
        if (string.IsNullOrWhiteSpace(rule))
        {
            return (null, $"{path}.rule: Required value");
        }

        var (program, error) = CompileExpression(rule, RuleScope);
        if (program is null)
        {
            return (null, $"{path}.rule: Invalid value: \"{rule}\": compilation failed: {error}");
        }

        CelProgramDelegate? messageProgram = null;
        if (Text(entry, "messageExpression") is { Length: > 0 } messageExpression)
        {
            (messageProgram, error) = CompileExpression(messageExpression, RuleScope);
            if (messageProgram is null)
            {
                return (null, $"{path}.messageExpression: Invalid value: \"{messageExpression}\": compilation failed: {error}");
            }
        }

        var reason = Text(entry, "reason");
        if (reason is not null && !Reasons.Contains(reason))
        {
            return (null, $"{path}.reason: Unsupported value: \"{reason}\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"");
        }

        var fieldPath = Text(entry, "fieldPath");
        if (fieldPath is { Length: > 0 } && !fieldPath.StartsWith('.') && !fieldPath.StartsWith('['))
        {
            return (null, $"{path}.fieldPath: Invalid value: \"{fieldPath}\": must be a relative path starting with '.' or '['");
        }

        return (new CelRule(rule, program, Text(entry, "message"), messageProgram, reason, fieldPath, rule.Contains("oldSelf", StringComparison.Ordinal)), null);
    }

    /// <summary>
    /// An expression of a ValidatingAdmissionPolicy (matchConditions, variables, validations, messageExpression), which
    /// sees request, object, oldObject and variables; or the compile error.
    /// </summary>
    public static (CelProgramDelegate? Program, string? Error) CompileAdmissionExpression(string expression) =>
        CompileExpression(expression, PolicyScope);

    private static (CelProgramDelegate? Program, string? Error) CompileExpression(string expression, CelExpressionScope scope)
    {
        // Cached per scope: the same text can be a valid policy expression and an invalid rule.
        var key = scope.Name + ":" + expression;
        lock (CompileLock)
        {
            if (Compiled.TryGetValue(key, out var cached))
            {
                return (cached, null);
            }

            try
            {
                var tree = Environment.Parse(expression);
                if (Unknown(tree, Bound(tree), scope) is { } unknown)
                {
                    return (null, unknown);
                }

                var program = Environment.Compile(tree);
                Compiled[key] = program;
                return (program, null);
            }
            catch (Exception parseError) when (parseError is CelException or InvalidOperationException or ArgumentException)
            {
                return (null, parseError.Message);
            }
        }
    }

    /// <summary>The variables macros bind (`x` in `self.all(x, …)`), allowed anywhere in the rule.</summary>
    private static HashSet<string> Bound(IParseTree tree)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Walk(tree))
        {
            if (node is CelParser.MemberCallContext { id: { } id, args: { } args } && Macros.Contains(id.Text) && args.expr().Length > 0)
            {
                names.Add(args.expr(0).GetText());
            }
        }

        return names;
    }

    private static string? Unknown(IParseTree tree, HashSet<string> bound, CelExpressionScope scope)
    {
        foreach (var node in Walk(tree))
        {
            switch (node)
            {
                case CelParser.IdentOrGlobalCallContext { id: { } id } call when call.LPAREN() is not null && !KnownFunctions.Contains(id.Text):
                    return $"undeclared reference to '{id.Text}'";
                case CelParser.IdentOrGlobalCallContext { id: { } id } name when name.LPAREN() is null && !scope.Identifiers.Contains(id.Text) && !bound.Contains(id.Text):
                    return $"undeclared reference to '{id.Text}' ({scope.Says})";
                case CelParser.MemberCallContext { id: { } id } when !KnownFunctions.Contains(id.Text):
                    return $"found no matching overload for '{id.Text}'";
            }
        }

        return null;
    }

    private static IEnumerable<IParseTree> Walk(IParseTree node)
    {
        yield return node;
        for (var index = 0; index < node.ChildCount; index++)
        {
            foreach (var child in Walk(node.GetChild(index)))
            {
                yield return child;
            }
        }
    }

    private static string? Text(JsonObject? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
