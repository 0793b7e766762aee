using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Schema;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>
/// ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) on the CREATE and UPDATE requests users make, after the
/// webhooks and the schema, as kube-apiserver runs them: each binding whose policy's
/// <c>matchConstraints.resourceRules</c> match the operation and resource (a subresource as <c>gpus/status</c>) and whose
/// <c>matchResources</c> selectors match; every <c>matchCondition</c> must hold; <c>variables</c> are evaluated in
/// order (each may use those before it); a validation that is false denies with its messageExpression, message or
/// expression, under its reason (Forbidden 403, Unauthorized 401, RequestEntityTooLarge 413, otherwise Invalid 422).
/// An expression that does not compile or evaluate follows <c>failurePolicy</c> (Fail unless Ignore). Binding actions
/// Deny and Warn are honoured (Audit has no log here); params, namespaceObject and authorizer are not served.
/// </summary>
public sealed class AdmissionPolicies(ObjectStore store)
{
    public const string PolicyStorageId = "validatingadmissionpolicies.admissionregistration.k8s.io";
    public const string BindingStorageId = "validatingadmissionpolicybindings.admissionregistration.k8s.io";

    /// <summary>Judges one write (<paramref name="old"/> is null on CREATE); throws <see cref="ApiException"/> when a Deny binding refuses it.</summary>
    public void Admit(ResourceType type, string operation, string? subresource, string @namespace, JsonObject value, JsonObject? old, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        if (options.User is null || type.StorageId is PolicyStorageId or BindingStorageId)
        {
            return;
        }

        var bindings = store.List(BindingStorageId, null, null).Items;
        if (bindings.Count == 0)
        {
            return;
        }

        var resource = subresource is null ? type.Plural : type.Plural + "/" + subresource;
        Dictionary<string, object?>? activation = null;
        foreach (var binding in bindings.OrderBy(binding => binding.Name, StringComparer.Ordinal))
        {
            var bindingSpec = binding.Value["spec"] as JsonObject;
            if (bindingSpec?["policyName"]?.GetValue<string>() is not { } policyName
                || store.Get(PolicyStorageId, string.Empty, policyName)?.Value["spec"] is not JsonObject policy
                || !RulesMatch(policy["matchConstraints"]?["resourceRules"] as JsonArray, operation, type, resource)
                || !SelectorsMatch(bindingSpec["matchResources"], type, @namespace, value))
            {
                continue;
            }

            activation ??= Activation(type, operation, subresource, @namespace, value, old, options);
            var outcome = new PolicyOutcome(policyName, binding.Name, (bindingSpec["validationActions"] as JsonArray ?? []).Select(action => action?.GetValue<string>()).ToHashSet(StringComparer.Ordinal));
            Evaluate(policy, activation, outcome, options);
        }
    }

    private static void Evaluate(JsonObject policy, Dictionary<string, object?> activation, PolicyOutcome outcome, WriteOptions options)
    {
        // Variables are per policy: a fresh map, filled in declaration order.
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        activation["variables"] = variables;
        try
        {
            foreach (var condition in (policy["matchConditions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Run(condition, activation) is not bool holds)
                {
                    throw new InvalidOperationException($"matchCondition '{condition["name"]}' did not evaluate to a bool");
                }

                if (!holds)
                {
                    return;
                }
            }

            foreach (var variable in (policy["variables"] as JsonArray ?? []).OfType<JsonObject>())
            {
                variables[variable["name"]?.GetValue<string>() ?? string.Empty] = Run(variable, activation);
            }

            foreach (var validation in (policy["validations"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var result = Run(validation, activation);
                if (result is true)
                {
                    continue;
                }

                if (result is not false)
                {
                    throw new InvalidOperationException($"expression '{validation["expression"]}' did not evaluate to a bool");
                }

                outcome.Refuse(validation["reason"]?.GetValue<string>(), MessageOf(validation, activation), options);
            }
        }
        catch (Exception error) when (error is not ApiException and not OutOfMemoryException)
        {
            if (policy["failurePolicy"]?.GetValue<string>() != "Ignore")
            {
                outcome.Refuse("Forbidden", $"policy could not be evaluated: {error.Message}", options);
            }
        }
    }

    /// <summary>messageExpression when it yields a non-empty string, else message, else the failed expression (as Kubernetes falls back).</summary>
    private static string MessageOf(JsonObject validation, Dictionary<string, object?> activation)
    {
        if (validation["messageExpression"]?.GetValue<string>() is { Length: > 0 } messageExpression
            && CelRuleCompiler.CompileAdmissionExpression(messageExpression).Program is { } program)
        {
            try
            {
                if (program(activation) is string { Length: > 0 } message)
                {
                    return message;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Falls back to message, as a failed messageExpression does on a real server.
            }
        }

        return validation["message"]?.GetValue<string>() is { Length: > 0 } text ? text : $"failed expression: {validation["expression"]}";
    }

    private static object? Run(JsonObject entry, Dictionary<string, object?> activation)
    {
        var expression = entry["expression"]?.GetValue<string>() ?? string.Empty;
        var (program, error) = CelRuleCompiler.CompileAdmissionExpression(expression);
        return program is null ? throw new InvalidOperationException($"expression '{expression}' does not compile: {error}") : program(activation);
    }

    /// <summary>What the expressions see: request (with userInfo), object and oldObject, as CEL maps and lists.</summary>
    private static Dictionary<string, object?> Activation(ResourceType type, string operation, string? subresource, string @namespace, JsonObject value, JsonObject? old, WriteOptions options)
    {
        var request = new JsonObject
        {
            ["kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
            ["resource"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural },
            ["subResource"] = subresource ?? string.Empty,
            ["name"] = Meta.Name(value) ?? string.Empty,
            ["namespace"] = @namespace,
            ["operation"] = operation,
            ["userInfo"] = options.User!.ToJson(),
            ["dryRun"] = options.DryRun,
        };
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["request"] = CelValues.From(request, null),
            ["object"] = CelValues.From(value, null),
            ["oldObject"] = old is null ? null : CelValues.From(old, null),
        };
    }

    private static bool RulesMatch(JsonArray? rules, string operation, ResourceType type, string resource) =>
        (rules ?? []).OfType<JsonObject>().Any(rule =>
            WebhookRules.Contains(rule["operations"], operation) && WebhookRules.Contains(rule["apiGroups"], type.Group)
            && WebhookRules.Contains(rule["apiVersions"], type.Version)
            && (rule["resources"] as JsonArray ?? []).Select(item => item?.GetValue<string>()).Any(item => ResourceMatches(item, resource)));

    /// <summary><c>*</c> is every resource but no subresource, <c>*/*</c> everything, <c>gpus/*</c> and <c>*/status</c> as named.</summary>
    private static bool ResourceMatches(string? pattern, string resource)
    {
        if (pattern is null)
        {
            return false;
        }

        var (plural, sub) = Split(resource);
        var (wantedPlural, wantedSub) = Split(pattern);
        return (wantedPlural == "*" || wantedPlural == plural) && (wantedSub == sub || (wantedSub == "*" && sub is not null) || pattern == "*/*");

        static (string Plural, string? Sub) Split(string text) =>
            text.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? (text[..slash], text[(slash + 1)..]) : (text, null);
    }

    /// <summary>A binding without matchResources selects every write its policy matches.</summary>
    private bool SelectorsMatch(JsonNode? matchResources, ResourceType type, string @namespace, JsonObject value) =>
        matchResources is not JsonObject || WebhookSelector.Selects(matchResources, type, WebhookSelector.NamespaceLabels(store, type, @namespace), Meta.Labels(value));
}
