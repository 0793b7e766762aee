namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>What device delivery has handed out, kept beside the plan checkpoint (<c>&lt;state-dir&gt;/delivery.json</c>):
/// the prepared claims and the workers that have a CDI spec. After a restart or reboot the specs are rebuilt
/// from it (the CDI directory is a tmpfs on most nodes) and an unprepare still finds its worker.</summary>
public sealed record DeliveryState(int Version, IReadOnlyList<DeliveredClaim> Claims, IReadOnlyList<DeliveredWorker> Workers)
{
    public const int CurrentVersion = 1;

    public static DeliveryState Empty { get; } = new(CurrentVersion, [], []);
}
