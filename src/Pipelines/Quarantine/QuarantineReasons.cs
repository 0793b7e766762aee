namespace TensorFusion.Pipelines.Quarantine;

/// <summary>The reason on the Ready condition and the Warning event of a quarantined object.</summary>
public static class QuarantineReasons
{
    /// <summary>The stored object cannot be decoded or fails validation; the message names the field and value.</summary>
    public const string InvalidSpec = "InvalidSpec";
}
