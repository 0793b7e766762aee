namespace TensorFusion.Pipelines.Controllers;

/// <summary>The <c>result</c> label values of <c>tensorfusion_reconcile_total</c>.</summary>
public static class ReconcileOutcome
{
    public const string Success = "success";
    public const string Requeue = "requeue";
    public const string RequeueAfter = "requeue_after";
    public const string Error = "error";
    public const string Terminal = "terminal";

    public static IReadOnlyList<string> All { get; } = [Success, Requeue, RequeueAfter, Error, Terminal];
}
