using System.Globalization;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Validation;

/// <summary>
/// The C# twins of the CEL rules in the CRDs (<c>[ValidationRule(..., ManifestValidatorRule = name)]</c>), so that
/// offline verbs reject what the API server would. Each returns the error message, or null when the rule holds.
/// </summary>
internal static class ManifestRules
{
    public static IReadOnlyDictionary<string, Func<object, ValidationError?>> ByName { get; } = new Dictionary<string, Func<object, ValidationError?>>
    {
        ["UpdateThresholdWithinMargin"] = value => UpdateThresholdWithinMargin((AutoSetResources)value),
        ["CronStartDiffersFromEnd"] = value => CronStartDiffersFromEnd((CronScalingRule)value),
        ["GangMinMembersZeroOrAtLeastTwo"] = value => GangMinMembersZeroOrAtLeastTwo((GangSchedulingConfig)value),
        ["GangMinMembersWithinReplicas"] = value => GangMinMembersWithinReplicas((WorkloadProfileSpec)value),
        ["TflopsOrComputePercent"] = value => TflopsOrComputePercent((GpuResourceAmount)value),
    };

    private static ValidationError? UpdateThresholdWithinMargin(AutoSetResources value)
    {
        if (!TryParse(value.UpdateThreshold, out var threshold) || !TryParse(value.MarginFraction, out var margin) || threshold <= margin)
        {
            return null;
        }

        return new ValidationError("updateThreshold", $"must not exceed marginFraction ({value.MarginFraction}), got {value.UpdateThreshold}");
    }

    private static ValidationError? CronStartDiffersFromEnd(CronScalingRule value) =>
        value.Start is not null && value.Start == value.End
            ? new ValidationError("end", $"must differ from start, both are \"{value.Start}\"")
            : null;

    private static ValidationError? GangMinMembersZeroOrAtLeastTwo(GangSchedulingConfig value) =>
        value.MinMembers == 1 ? new ValidationError("minMembers", "must be 0 (all desired replicas) or at least 2, got 1") : null;

    private static ValidationError? GangMinMembersWithinReplicas(WorkloadProfileSpec value) =>
        value is { GangScheduling.MinMembers: > 0 and var minMembers, Replicas: { } replicas } && minMembers > replicas
            ? new ValidationError("gangScheduling.minMembers", $"must not exceed replicas ({replicas}), got {minMembers}")
            : null;

    private static ValidationError? TflopsOrComputePercent(GpuResourceAmount value) =>
        value is { Tflops: not null, Compute: not null }
            ? new ValidationError("compute", "tflops and compute are mutually exclusive; set one of them")
            : null;

    private static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    internal static string Describe(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
