namespace TensorFusion.Pipelines.Admission;

/// <summary>Why a pod's GPU annotations were refused: the annotation (or field) at fault and what is wrong with it.</summary>
public sealed record AdmissionProblem(string Annotation, string Message)
{
    public override string ToString() => $"{Annotation}: {Message}";
}
