namespace TensorFusion.Gpu.Packing;

/// <summary>
/// A lower bound on the GPUs any packing of the placed shares needs: <see cref="Gpus"/> is the larger of
/// <see cref="VolumeGpus"/> (Σ size over capacity, per dimension) and the configuration-LP bound; <see cref="Method"/>
/// names which one gave it (<c>volume</c> or <c>configuration-lp</c>).
/// </summary>
public sealed record PackingLowerBound(int Gpus, int VolumeGpus, string Method)
{
    public const string Volume = "volume";

    public const string ConfigurationLp = "configuration-lp";

    public static PackingLowerBound Zero { get; } = new(0, 0, Volume);
}
