using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// Evaluates a CRD's x-kubernetes-validations rules on an object, as the API server does after the structural schema:
/// each rule runs at its schema node with `self` bound to the value there (each item or map value for rules under
/// items/additionalProperties), transition rules (those naming oldSelf) run only on update where the old value exists,
/// and a value unchanged from the old object is not re-checked (validation ratcheting, on by default since 1.30).
/// </summary>
public static class CelValidation
{
    /// <summary>Adds one error per failed rule to <paramref name="result"/>; <paramref name="old"/> is null on create.</summary>
    public static void Apply(JsonObject value, JsonObject? old, JsonObject schema, SchemaValidation result)
    {
        var rules = CelRuleSet.For(schema);
        if (!rules.IsEmpty)
        {
            Visit(value, old, schema, string.Empty, rules, result);
        }
    }

    private static void Visit(JsonNode? value, JsonNode? old, JsonObject schema, string path, CelRuleSet rules, SchemaValidation result)
    {
        if (value is null)
        {
            return;
        }

        var unchanged = old is not null && JsonNode.DeepEquals(value, old);
        if (!unchanged)
        {
            foreach (var rule in rules.At(schema))
            {
                Evaluate(rule, value, old, schema, path, result);
            }
        }

        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (name, child) in obj)
                {
                    if ((properties?[name] as JsonObject ?? additional) is { } childSchema)
                    {
                        Visit(child, (old as JsonObject)?[name], childSchema, Join(path, name), rules, result);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var index = 0; index < array.Count; index++)
                {
                    Visit(array[index], OldItem(array[index], old as JsonArray, schema), items, $"{path}[{index}]", rules, result);
                }

                break;
        }
    }

    private static void Evaluate(CelRule rule, JsonNode value, JsonNode? old, JsonObject schema, string path, SchemaValidation result)
    {
        if (rule.IsTransition && old is null)
        {
            return;
        }

        var variables = new Dictionary<string, object?> { ["self"] = CelValues.From(value, schema) };
        if (rule.IsTransition)
        {
            variables["oldSelf"] = CelValues.From(old, schema);
        }

        var field = rule.FieldPath is { Length: > 0 } fieldPath ? path + (fieldPath.StartsWith('.') && path.Length == 0 ? fieldPath[1..] : fieldPath) : path;
        var type = schema["type"]?.GetValue<string>() ?? "object";
        object? outcome;
        try
        {
            outcome = rule.Program(variables);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A rule that cannot be evaluated on this value (a missing key without has(), a bad conversion, a division
            // by zero: the library throws its own and .NET exceptions alike) refuses the write with the cause, as a
            // real server does, instead of escaping as a 500.
            result.Errors.Add((field, $"Invalid value: \"{type}\": rule evaluation error: {rule.Rule}: {error.Message}"));
            return;
        }

        if (outcome is true)
        {
            return;
        }

        var message = outcome is bool ? Message(rule, variables) : $"rule did not evaluate to a bool ({outcome ?? "null"}): {rule.Rule}";
        result.Errors.Add((field, rule.Reason switch
        {
            "FieldValueForbidden" => $"Forbidden: {message}",
            "FieldValueRequired" => $"Required value: {message}",
            "FieldValueDuplicate" => $"Duplicate value: \"{message}\"",
            _ => $"Invalid value: \"{type}\": {message}",
        }));
    }

    /// <summary>messageExpression when it yields a non-empty string, else message, else the rule itself (as Kubernetes falls back).</summary>
    private static string Message(CelRule rule, Dictionary<string, object?> variables)
    {
        if (rule.MessageExpression is { } expression)
        {
            try
            {
                if (expression(variables) is string { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Falls through to the static message, as a real server does when messageExpression fails.
            }
        }

        return rule.Message is { Length: > 0 } message ? message : $"failed rule: {rule.Rule}";
    }

    /// <summary>The old item an array item is compared with: only list-type map items correlate (by their keys), as in Kubernetes.</summary>
    private static JsonObject? OldItem(JsonNode? item, JsonArray? old, JsonObject schema)
    {
        if (old is null || item is not JsonObject current || schema["x-kubernetes-list-type"]?.GetValue<string>() != "map" ||
            schema["x-kubernetes-list-map-keys"] is not JsonArray keys)
        {
            return null;
        }

        var names = keys.Select(key => key?.GetValue<string>() ?? string.Empty).ToList();
        return old.OfType<JsonObject>().FirstOrDefault(candidate => names.All(name => JsonNode.DeepEquals(candidate[name], current[name])));
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
