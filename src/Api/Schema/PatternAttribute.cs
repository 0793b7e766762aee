namespace TensorFusion.Api.Schema;

/// <summary>A regular expression (ECMA dialect, as the API server uses) that a string field must match.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PatternAttribute(string pattern, string meaning) : Attribute
{
    public string Pattern { get; } = pattern;

    /// <summary>What the pattern means, for error messages ("a 5-field cron expression").</summary>
    public string Meaning { get; } = meaning;
}
