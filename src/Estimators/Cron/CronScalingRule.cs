using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Cron;

/// <summary>A <c>cronScalingRules</c> entry: between each <see cref="Start"/> and the following <see cref="End"/> the
/// workload gets <see cref="DesiredResources"/>.</summary>
/// <param name="Enable">Disabled rules are skipped.</param>
/// <param name="Name">Rule name, reported as the active rule.</param>
/// <param name="Start">5-field cron (minute hour day-of-month month day-of-week) opening the window.</param>
/// <param name="End">5-field cron closing the window.</param>
/// <param name="DesiredResources">Resources while the window is open.</param>
/// <param name="TimeZone">IANA zone the cron fields are read in (beyond upstream, which has none); null means UTC.</param>
public sealed record CronScalingRule(
    bool Enable,
    string? Name,
    string? Start,
    string? End,
    WorkloadResources DesiredResources,
    string? TimeZone = null);
