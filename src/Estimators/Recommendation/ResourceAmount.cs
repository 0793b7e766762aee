namespace TensorFusion.Estimators.Recommendation;

/// <summary>An amount of GPU resources for one worker (per GPU): compute in dense FP16 TFLOPs, VRAM in bytes.</summary>
public readonly record struct ResourceAmount(double Tflops, double VramBytes)
{
    public bool IsZero => Tflops == 0 && VramBytes == 0;
}
