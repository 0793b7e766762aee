using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Autoscaling;

/// <summary>
/// A scheduled window (from <see cref="Start"/> to <see cref="End"/>, 5-field cron) during which the workload gets
/// <see cref="DesiredResources"/>; those act as a floor for other recommendations while the window is active.
/// </summary>
[ValidationRule("!has(self.start) || !has(self.end) || self.start != self.end",
    "start and end must differ", ManifestValidatorRule = "CronStartDiffersFromEnd")]
public sealed class CronScalingRule
{
    public const string CronPattern = @"^\S+(\s+\S+){4}$";

    [JsonPropertyName("enable")]
    public bool? Enable { get; set; }

    [JsonPropertyName("name")]
    [MaxLength(128)]
    public string? Name { get; set; }

    [JsonPropertyName("start")]
    [MaxLength(256)]
    [Pattern(CronPattern, "a 5-field cron expression (minute hour day-of-month month day-of-week)")]
    [Description("5-field cron expression at which the window opens.")]
    public string? Start { get; set; }

    [JsonPropertyName("end")]
    [MaxLength(256)]
    [Pattern(CronPattern, "a 5-field cron expression (minute hour day-of-month month day-of-week)")]
    [Description("5-field cron expression at which the window closes.")]
    public string? End { get; set; }

    [JsonPropertyName("timeZone")]
    [MaxLength(64)]
    [Pattern(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$", "an IANA time zone name such as Europe/Berlin")]
    [Description("Not upstream. IANA time zone the cron expressions are evaluated in; default UTC.")]
    public string? TimeZone { get; set; }

    [JsonPropertyName("desiredResources")]
    [Description("Resources per worker and GPU while the window is active.")]
    public GpuResourceRequirements? DesiredResources { get; set; }
}
