using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// Typed reads of one pod's annotations. An empty value counts as absent (as upstream); a value that is present but
/// unreadable adds a problem naming the annotation and reads as absent, so parsing goes on and reports everything.
/// </summary>
internal sealed class PodAnnotationReader(IDictionary<string, string>? annotations)
{
    private readonly IDictionary<string, string> annotations = annotations ?? new Dictionary<string, string>();

    public List<AdmissionProblem> Problems { get; } = [];

    public bool Has(string key) => Text(key) is not null;

    public string? Text(string key) =>
        annotations.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public bool? Boolean(string key)
    {
        var text = Text(key);
        switch (text)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                Problems.Add(new AdmissionProblem(key, $"\"{text}\" is not \"true\" or \"false\""));
                return null;
        }
    }

    public int? Integer(string key, int min, int max)
    {
        var text = Text(key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Problems.Add(new AdmissionProblem(key, $"\"{text}\" is not a whole number from {min} to {max}"));
            return null;
        }

        return value;
    }

    public ResourceQuantity? Quantity(string key)
    {
        var text = Text(key);
        if (text is null)
        {
            return null;
        }

        var quantity = TryQuantity(text);
        if (quantity is null || quantity.ToDecimal() < 0)
        {
            Problems.Add(new AdmissionProblem(key, $"\"{text}\" is not a non-negative quantity such as \"10\", \"500m\" or \"16Gi\""));
            return null;
        }

        return quantity;
    }

    /// <summary>A compute percent: a quantity from 0 to 100.</summary>
    public ResourceQuantity? Percent(string key)
    {
        var text = Text(key);
        var quantity = Quantity(key);
        if (quantity is not null && quantity.ToDecimal() > 100)
        {
            Problems.Add(new AdmissionProblem(key, $"\"{text}\" is over 100 percent of a GPU"));
            return null;
        }

        return quantity;
    }

    public T? Enum<T>(string key)
        where T : struct, System.Enum
    {
        var text = Text(key);
        if (text is null)
        {
            return null;
        }

        if (WireNames.TryParse(typeof(T), text, out var value))
        {
            return (T)value;
        }

        Problems.Add(new AdmissionProblem(key, $"\"{text}\" is not one of {string.Join(", ", WireNames.Names(typeof(T)))}"));
        return null;
    }

    /// <summary>A comma list of GPU device indices (0–1023), e.g. <c>"0,2"</c>.</summary>
    public List<int>? Indices(string key)
    {
        var text = Text(key);
        if (text is null)
        {
            return null;
        }

        var indices = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > 1023 || indices.Contains(index))
            {
                Problems.Add(new AdmissionProblem(key, $"\"{text}\" is not a comma list of distinct device indices such as \"0,2\""));
                return null;
            }

            indices.Add(index);
        }

        return indices;
    }

    private static ResourceQuantity? TryQuantity(string text)
    {
        try
        {
            // The API's own quantity grammar, so an annotation accepts exactly what a CRD field accepts.
            return System.Text.Json.JsonSerializer.Deserialize<ResourceQuantity>(System.Text.Json.JsonSerializer.Serialize(text), TensorFusionJson.Options);
        }
        catch (Exception exception) when (exception is FieldValueException or System.Text.Json.JsonException or FormatException)
        {
            return null;
        }
    }
}
