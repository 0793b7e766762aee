namespace TensorFusion.Agent.Limiting;

/// <summary>
/// The feedback law of one (worker, device): turns the worker's measured share of the GPU into the rate at which
/// the agent refills its launch-token bucket. Pure maths, one call per interval (200–500 ms).
/// <para>
/// Units: shares are percent of the device. <c>FullRate</c> is the refill rate (tokens/s) nominally worth 100 % of the
/// device (10 000 launches/s, the shim's standalone default). The controller's state is the granted share g; the
/// bucket is refilled at g / 100 × FullRate tokens/s.
/// </para>
/// <para>
/// Target: T = min(hard, max(soft, u + slack)), where u is the worker's measured share, idle = 100 − the whole
/// device's utilisation, and slack = idle − 5 while at least 5 points are idle, 4·(idle − 5) below that. So a
/// worker gets its request (soft) whenever it wants it, may borrow idle capacity up to its limit (hard) leaving 5
/// points of headroom for the neighbours, and gives borrowed capacity back quickly when neighbours take it (at a
/// saturated device the target sits 20 points under the current share until it reaches the request).
/// </para>
/// <para>
/// Law (velocity-form PI on the grant, error e = T − u in points):
/// g ← clamp(g + Kp·(e − e_prev) + Ki·e, 1, hard), Kp = 0.3, Ki = 0.6. The velocity form cannot wind up past the
/// clamp: a worker that uses less than it is granted drifts to its cap, which it may use (the cap is the limit),
/// and is pulled back to its request as soon as neighbours leave the device less than 5 points idle. With the nominal plant (u = g) the error
/// shrinks to 0.4 of itself per interval, so a 50-point step is within 5 points in 3 intervals; a plant whose real
/// gain is 0.5–1.5× nominal (kernels shorter or longer than assumed) still converges (loop gain Ki·k stays in
/// (0, 2)) in at most 10 intervals. g never exceeds hard: under the nominal gain the bucket cannot be refilled
/// faster than the limit.
/// </para>
/// </summary>
public sealed class ShareController(int softPercent, int hardPercent)
{
    public const double Kp = 0.3;
    public const double Ki = 0.6;
    public const double HeadroomPoints = 5;
    public const double GiveBackGain = 4;
    public const long FullRateTokensPerSecond = 10_000;

    private double _previousError;

    public int SoftPercent { get; } = Math.Clamp(softPercent <= 0 ? hardPercent : softPercent, 1, 100);

    /// <summary>The cap; a limit of 0 (none) is read as the whole device.</summary>
    public int HardPercent { get; } = Math.Clamp(hardPercent <= 0 ? 100 : hardPercent, 1, 100);

    /// <summary>The share currently granted, in points; starts at the request.</summary>
    public double GrantedPercent { get; private set; } = Math.Clamp(softPercent <= 0 ? hardPercent : softPercent, 1, 100);

    public double TargetPercent { get; private set; } = Math.Clamp(softPercent <= 0 ? hardPercent : softPercent, 1, 100);

    /// <summary>Bucket refill rate for the current grant.</summary>
    public long RateTokensPerSecond => (long)Math.Round(GrantedPercent / 100.0 * FullRateTokensPerSecond);

    /// <summary>One interval: folds in the measured shares and returns the new grant (points).</summary>
    public double Update(double workerPercent, double devicePercent)
    {
        var idle = Math.Max(0, 100 - devicePercent);
        var slack = idle >= HeadroomPoints ? idle - HeadroomPoints : GiveBackGain * (idle - HeadroomPoints);
        TargetPercent = Math.Min(HardPercent, Math.Max(SoftPercent, workerPercent + slack));
        var error = TargetPercent - workerPercent;
        GrantedPercent = Math.Clamp(GrantedPercent + (Kp * (error - _previousError)) + (Ki * error), 1, HardPercent);
        _previousError = error;
        return GrantedPercent;
    }
}
