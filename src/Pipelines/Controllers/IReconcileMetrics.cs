namespace TensorFusion.Pipelines.Controllers;

/// <summary>What a <see cref="ReconcileLoop{TKey}"/> reports per reconcile.</summary>
public interface IReconcileMetrics
{
    /// <param name="outcome">One of <see cref="ReconcileOutcome"/>.</param>
    /// <param name="duration">Wall time the reconcile took.</param>
    void Observe(string outcome, TimeSpan duration);
}
