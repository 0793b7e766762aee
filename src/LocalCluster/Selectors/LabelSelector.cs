using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Selectors;

/// <summary>
/// A parsed `labelSelector`: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k` (does not exist),
/// joined by commas; every requirement must hold.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(requirement => requirement(labels));

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var term in SplitTerms(text))
        {
            selector._requirements.Add(ParseTerm(term.Trim(), text));
        }

        return selector;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term, string whole)
    {
        if (term.Length == 0)
        {
            throw ApiException.BadRequest($"unable to parse requirement: empty term in label selector \"{whole}\"");
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(term, @"^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            var values = setMatch.Groups[3].Value.Split(',').Select(value => value.Trim()).ToHashSet(StringComparer.Ordinal);
            return setMatch.Groups[2].Value == "in"
                ? labels => labels.TryGetValue(key, out var value) && values.Contains(value)
                : labels => !labels.TryGetValue(key, out var value) || !values.Contains(value);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var expected = term[(at + op.Length)..].Trim();
                Validate(key, whole);
                return op == "!="
                    ? labels => !labels.TryGetValue(key, out var value) || value != expected
                    : labels => labels.TryGetValue(key, out var value) && value == expected;
            }
        }

        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            Validate(key, whole);
            return labels => !labels.ContainsKey(key);
        }

        Validate(term, whole);
        return labels => labels.ContainsKey(term);
    }

    private static void Validate(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '=' or ','))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in selector \"{whole}\"");
        }
    }

    /// <summary>Splits on commas that are not inside an `in (...)` value list.</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var index = 0; index < text.Length; index++)
        {
            depth += text[index] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[index] == ',' && depth == 0)
            {
                yield return text[start..index];
                start = index + 1;
            }
        }

        yield return text[start..];
    }
}
